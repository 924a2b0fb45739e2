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
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact counts and tables whatever the days hold and whatever order they run in: days of different sizes, a day of
 * only bad lines, of only blank lines, an empty {@code dt=} folder, and dates run again after later dates. The days
 * are two apart, so that each run's lateness window (the day before) holds nothing of another day.
 */
class BatchCountsIT {
    static final String BIG = "2024-05-01";
    static final String SMALL = "2024-05-03";
    static final String BAD_ONLY = "2024-05-05";
    static final String BLANK_ONLY = "2024-05-07";
    static final String EMPTY_FOLDER = "2024-05-09";

    /** Read, upserted, duplicates, quarantined: the same for a day's every run, whatever ran before it. */
    static final Map<String, List<Long>> COUNTS = Map.of(
            BIG, List.of(9L, 6L, 2L, 1L),
            SMALL, List.of(4L, 3L, 0L, 1L),
            BAD_ONLY, List.of(3L, 0L, 0L, 3L),
            BLANK_ONLY, List.of(0L, 0L, 0L, 0L),
            EMPTY_FOLDER, List.of(0L, 0L, 0L, 0L));

    @TempDir
    Path root;

    private static String geo(int ind, String country) {
        return "{\"ind\": " + ind + ", \"country\": \"" + country + "\"}";
    }

    private LocalLake landTheDays(Path at) {
        LocalLake local = new LocalLake(at);
        local.land(RecordKind.GEO, BIG, "a.json", List.of(geo(1, "Chad"), geo(2, "Peru"), geo(3, "Fiji"), geo(1, "Chad"),
                geo(4, "Togo"), "[1]", geo(5, "Oman"), geo(2, "Peru"), geo(6, "Mali")));
        local.land(RecordKind.GEO, SMALL, "b.json", List.of(geo(5, "Oman"), geo(7, "Laos"), "{\"ind\": -1}", geo(8, "Iran")));
        local.land(RecordKind.GEO, BAD_ONLY, "c.json", List.of("not json", "{\"ind\": \"x\"}", "{}"));
        local.land(RecordKind.GEO, BLANK_ONLY, "d.json", List.of("", "   ", "\t", ""));
        local.dayFolder(RecordKind.GEO, EMPTY_FOLDER);
        return local;
    }

    private static final Dataset<Row> silver() {
        return table("ind BIGINT, country STRING, coordinates ARRAY<DOUBLE>, timestamp TIMESTAMP",
                row(1L, "Chad", null, null), row(2L, "Peru", null, null), row(3L, "Fiji", null, null),
                row(4L, "Togo", null, null), row(5L, "Oman", null, null), row(6L, "Mali", null, null),
                row(7L, "Laos", null, null), row(8L, "Iran", null, null));
    }

    private static Dataset<Row> quarantine() {
        return table("kind STRING, reason STRING, raw STRING, run_date DATE",
                row("geo", RawRecords.NOT_AN_OBJECT, "[1]", LocalDate.parse(BIG)),
                row("geo", RawRecords.BAD_KEY, "{\"ind\": -1}", LocalDate.parse(SMALL)),
                row("geo", RawRecords.NOT_AN_OBJECT, "not json", LocalDate.parse(BAD_ONLY)),
                row("geo", RawRecords.BAD_KEY, "{\"ind\": \"x\"}", LocalDate.parse(BAD_ONLY)),
                row("geo", RawRecords.MISSING_KEY, "{}", LocalDate.parse(BAD_ONLY)));
    }

    /** Runs the days in order; checks every run's counts, and that the inserts add up to the table. */
    private void runInOrder(Path at, List<String> days) {
        LocalLake local = landTheDays(at);
        Lake lake = local.lake();
        long inserted = 0;
        for (String day : days) {
            CleaningReport report = CleanGeo.run(lake, LandingDate.parse(day));
            CleaningCounts counts = report.counts();
            assertThat(List.of(counts.read(), counts.upserted(), counts.duplicates(), counts.quarantined()))
                    .as("%s after %s", day, days).isEqualTo(COUNTS.get(day));
            assertThat(counts.updated()).as("a repeated key carries identical data").isZero();
            inserted += counts.inserted();
        }
        assertThat(inserted).isEqualTo(8);
        assertDatasetEquals(silver(), lake.read("geo"));
        assertDatasetEquals(quarantine(), lake.read(Quarantine.TABLE).select("kind", "reason", "raw", "run_date"));
    }

    @Test
    void daysInDateOrderThenReRunsAfterLaterDates() {
        runInOrder(root.resolve("forward"), List.of(BIG, SMALL, BAD_ONLY, BLANK_ONLY, EMPTY_FOLDER, BIG, BAD_ONLY, SMALL));
    }

    @Test
    void aBadOnlyDayFirstOnAnEmptyLakeThenTheRestBackwards() {
        runInOrder(root.resolve("backward"), List.of(BAD_ONLY, EMPTY_FOLDER, BLANK_ONLY, SMALL, BIG, BAD_ONLY, BLANK_ONLY));
    }

    @Test
    void aDayWithNothingToUpsertStillLeavesTheSilverTableForTheMetrics() {
        LocalLake local = landTheDays(root);
        CleaningReport report = CleanGeo.run(local.lake(), LandingDate.parse(EMPTY_FOLDER));
        assertThat(report.counts()).isEqualTo(CleaningCounts.NONE);
        assertThat(local.lake().read("geo").count()).isZero();
        assertThat(local.lake().read("geo").schema()).isEqualTo(silver().schema());
    }

    @Test
    void countsThatDoNotAddUpAreCaught() {
        assertThat(new CleaningCounts(9, 6, 6, 0, 2, 1).addsUp()).isTrue();
        // a de-duplication that kept a copy too many, one that lost a key, a quarantine row not written
        assertThat(new CleaningCounts(9, 7, 7, 0, 2, 1).addsUp()).isFalse();
        assertThat(new CleaningCounts(9, 5, 5, 0, 2, 1).addsUp()).isFalse();
        assertThat(new CleaningCounts(9, 6, 6, 0, 2, 0).addsUp()).isFalse();
        // MERGE cannot change more rows than it was handed
        assertThat(new CleaningCounts(9, 6, 6, 1, 2, 1).addsUp()).isFalse();
    }
}
