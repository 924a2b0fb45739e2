package io.pinpipeline.jobs.batch;

import static io.pinpipeline.jobs.testing.DatasetAssert.assertDatasetEquals;
import static io.pinpipeline.jobs.testing.TestData.row;
import static io.pinpipeline.jobs.testing.TestData.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.jobs.clean.Quarantine;
import io.pinpipeline.jobs.clean.RawRecords;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.report.CleaningReport;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.silver.CleaningCounts;
import io.pinpipeline.jobs.testing.LocalLake;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that land after their day's run (the S3 sink closes a day's last file after midnight), and the copies an
 * at-least-once sink writes when a task restarts: cleaned, not lost, and not doubled.
 */
class LateFilesIT {
    static final LandingDate MAY_1 = LandingDate.parse("2024-05-01");
    static final LandingDate MAY_2 = LandingDate.parse("2024-05-02");

    @TempDir
    Path root;

    private static String user(int ind, String first) {
        return "{\"ind\": " + ind + ", \"first_name\": \"" + first + "\", \"age\": 30}";
    }

    @Test
    void aRecordThatLandsInADayAfterItsRunReachesSilverInTheNextDaysRun() {
        LocalLake local = new LocalLake(root);
        Lake lake = local.lake();
        local.land(RecordKind.USER, "2024-05-01", "p.user+0+0000000000.json", List.of(user(1, "Ann"), user(2, "Bo")));
        CleanUsers.run(lake, MAY_1);

        // After May 1's run: the sink closes May 1's last file, and May 2's records arrive.
        local.land(RecordKind.USER, "2024-05-01", "p.user+0+0000000002.json", List.of(user(3, "Cy"), "{\"ind\": \"late\"}"));
        local.land(RecordKind.USER, "2024-05-02", "p.user+0+0000000004.json", List.of(user(4, "Di")));
        CleaningReport may2 = CleanUsers.run(lake, MAY_2);

        // May 2's run reads dt=2024-05-01 again: its two old lines change nothing, the late ones are cleaned.
        assertThat(may2.counts()).isEqualTo(new CleaningCounts(5, 4, 2, 0, 0, 1));
        assertThat(may2.folders()).hasSize(2).allMatch(folder -> folder.matches(".*/dt=2024-05-0[12]"));
        assertDatasetEquals(table("ind BIGINT, user_name STRING, age INT, date_joined TIMESTAMP",
                        row(1L, "Ann", 30, null), row(2L, "Bo", 30, null), row(3L, "Cy", 30, null), row(4L, "Di", 30, null)),
                lake.read("user"));
        assertDatasetEquals(table("kind STRING, reason STRING, raw STRING, run_date DATE",
                        row("user", RawRecords.BAD_KEY, "{\"ind\": \"late\"}", LocalDate.of(2024, 5, 1))),
                lake.read(Quarantine.TABLE).select("kind", "reason", "raw", "run_date"));

        // Running May 1 again replaces its quarantine rows; it does not add to them.
        CleanUsers.run(lake, MAY_1);
        assertThat(lake.read(Quarantine.TABLE).count()).isEqualTo(1);
    }

    @Test
    void withoutALatenessWindowTheLateRecordWaitsForARunOfItsOwnDay() {
        LocalLake local = new LocalLake(root, Map.of("landing.lateness-days", "0"));
        Lake lake = local.lake();
        local.land(RecordKind.USER, "2024-05-01", "a.json", List.of(user(1, "Ann")));
        CleanUsers.run(lake, MAY_1);
        local.land(RecordKind.USER, "2024-05-01", "b.json", List.of(user(3, "Cy")));
        local.land(RecordKind.USER, "2024-05-02", "c.json", List.of(user(4, "Di")));

        assertThat(CleanUsers.run(lake, MAY_2).counts()).isEqualTo(new CleaningCounts(1, 1, 1, 0, 0, 0));
        assertThat(lake.read("user").select("ind").as(org.apache.spark.sql.Encoders.LONG()).collectAsList())
                .containsExactlyInAnyOrder(1L, 4L);
    }

    @Test
    void copiesThatARestartedSinkTaskWroteUnderAnotherNameCollapseIntoTheSameTable() {
        List<String> records = List.of(user(1, "Ann"), user(2, "Bo"), user(3, "Cy"));
        LocalLake once = new LocalLake(root.resolve("once"));
        once.land(RecordKind.USER, "2024-05-01", "p.user+0+0000000000.json", records);
        CleaningReport single = CleanUsers.run(once.lake(), MAY_1);

        LocalLake twice = new LocalLake(root.resolve("twice"));
        twice.land(RecordKind.USER, "2024-05-01", "p.user+0+0000000000.json", records);
        // The task restarted before committing its offsets and wrote the same records again, rotated at another point.
        twice.land(RecordKind.USER, "2024-05-01", "p.user+0+0000000001.json", records.subList(1, 3));
        twice.land(RecordKind.USER, "2024-05-01", "p.user+0+0000000000-retry.json", records.subList(0, 1));
        CleaningReport doubled = CleanUsers.run(twice.lake(), MAY_1);

        assertThat(single.counts()).isEqualTo(new CleaningCounts(3, 3, 3, 0, 0, 0));
        assertThat(doubled.counts()).isEqualTo(new CleaningCounts(6, 3, 3, 0, 3, 0));
        assertDatasetEquals(once.lake().read("user"), twice.lake().read("user"));
    }
}
