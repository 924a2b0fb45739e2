package io.pinpipeline.jobs.batch;

import static io.pinpipeline.jobs.testing.DatasetAssert.assertDatasetEquals;
import static io.pinpipeline.jobs.testing.DatasetAssert.rows;
import static io.pinpipeline.jobs.testing.TestData.doubles;
import static io.pinpipeline.jobs.testing.TestData.row;
import static io.pinpipeline.jobs.testing.TestData.table;
import static io.pinpipeline.jobs.testing.TestData.utc;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.jobs.clean.RawRecords;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.report.CleaningReport;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.testing.LocalLake;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three cleaning jobs on real Delta tables in a temporary folder. */
class CleaningJobsIT {
    static final LandingDate MAY_1 = LandingDate.parse("2024-05-01");
    static final LandingDate MAY_2 = LandingDate.parse("2024-05-02");

    @TempDir
    Path root;

    @Test
    void theRealCaptureCleansToItsKnownFacts() {
        LocalLake local = new LocalLake(root);
        Lake lake = local.lake();
        for (RecordKind kind : RecordKind.values()) {
            local.landCapture(kind, "2024-05-01");
        }

        for (CleaningReport report : List.of(CleanPins.run(lake, MAY_1), CleanGeo.run(lake, MAY_1), CleanUsers.run(lake, MAY_1))) {
            assertThat(List.of(report.linesRead(), report.rowsUpserted(), report.duplicatesCollapsed(), report.rowsQuarantined()))
                    .as(report.kind().label()).containsExactly(2262L, 2019L, 243L, 0L);
        }

        assertDatasetEquals(table("ind BIGINT, unique_id STRING, title STRING, description STRING, follower_count INT,"
                                + " poster_name STRING, tag_list STRING, is_image_or_video STRING, image_src STRING,"
                                + " save_location STRING, category STRING",
                        row(7528L, "fbe53c66-3442-4773-b19e-d3ec6f54dddf", null, null, null, null, null,
                                "multi-video(story page format)", null, "/data/mens-fashion", "mens-fashion"),
                        row(2863L, "9bf39437-42a6-4f02-99a0-9a0383d8cd70",
                                "25 Super Fun Summer Crafts for Kids - Of Life and Lisa",
                                "Keep the kids busy this summer with these easy diy crafts and projects. Creative and\u2026",
                                124000, "Of Life & Lisa | Lifestyle Blog",
                                "Summer Crafts For Kids,Fun Crafts For Kids,Summer Kids,Toddler Crafts,Crafts To Do,"
                                        + "Diy For Kids,Summer Snow,Diys For Summer,Craft Ideas For Girls",
                                "image", "https://i.pinimg.com/originals/b3/bc/e2/b3bce2964e8c8975387b39660eed5f16.jpg",
                                "/data/diy-and-crafts", "diy-and-crafts"),
                        row(5658L, "742e2019-6a68-44ad-a143-1b90e1fa4afa", null, null, 57000,
                                "GenTwenty | Personal Growth, Self-Care, and Money",
                                "Ways To Save Money,Money Tips,Money Saving Tips,Money Hacks,Saving Ideas,Budgeting Finances,"
                                        + "Budgeting Tips,Planning Budget,Money Saving Challenge",
                                "multi-video(story page format)", null, "/data/finance", "finance")),
                lake.read("pin").filter(col("ind").isin(7528, 2863, 5658)));
        assertDatasetEquals(table("ind BIGINT, country STRING, coordinates ARRAY<DOUBLE>, timestamp TIMESTAMP",
                        row(7528L, "Albania", doubles(-89.9787, -173.293), utc("2020-08-28T03:52:47"))),
                lake.read("geo").filter(col("ind").equalTo(7528)));
        assertDatasetEquals(table("ind BIGINT, user_name STRING, age INT, date_joined TIMESTAMP",
                        row(7528L, "Abigail Ali", 20, utc("2015-10-24T11:23:51"))),
                lake.read("user").filter(col("ind").equalTo(7528)));
        assertThat(lake.read("quarantine").count()).isZero();
    }

    @Test
    void badInputIsQuarantinedAndEveryLineIsAccountedFor() {
        LocalLake local = new LocalLake(root);
        String huge = "x".repeat(1_000_000);
        List<String> lines = new ArrayList<>(List.of(
                "{\"ind\": 1, \"first_name\": \"Zo\u00eb\", \"last_name\": \"\u674e\ud83d\ude00\", \"age\": \"34\", \"date_joined\": \"2016:01:02 03:04:05\"}",
                "{\"ind\": 2, \"first_name\": \"" + huge + "\", \"age\": \"old\", \"date_joined\": \"yesterday\"}",
                "{\"ind\": 1, \"first_name\": \"Zo\u00eb\", \"last_name\": \"\u674e\ud83d\ude00\", \"age\": \"34\", \"date_joined\": \"2016:01:02 03:04:05\"}",
                "",
                "{\"ind\": 3, \"age\": 12.5, \"first_name\": [\"a\"]}",
                "{\"ind\": 4",
                "[{\"ind\": 5}]",
                "42",
                "{\"ind\": -6}",
                "{\"ind\": null}",
                "{\"ind\": \"seven\"}",
                "{\"name\": \"no key\"}"));
        local.land(RecordKind.USER, "2024-05-01", "part-0.json", lines);

        CleaningReport report = CleanUsers.run(local.lake(), MAY_1);

        assertThat(List.of(report.linesRead(), report.rowsUpserted(), report.duplicatesCollapsed(), report.rowsQuarantined()))
                .containsExactly(11L, 3L, 1L, 7L);
        assertDatasetEquals(table("ind BIGINT, user_name STRING, age INT, date_joined TIMESTAMP",
                        row(1L, "Zo\u00eb \u674e\ud83d\ude00", 34, utc("2016-01-02T03:04:05")),
                        row(2L, huge, null, null),
                        row(3L, "[\"a\"]", null, null)),
                local.lake().read("user"));
        assertDatasetEquals(table("kind STRING, reason STRING, raw STRING",
                        row("user", RawRecords.NOT_AN_OBJECT, "{\"ind\": 4"),
                        row("user", RawRecords.NOT_AN_OBJECT, "[{\"ind\": 5}]"),
                        row("user", RawRecords.NOT_AN_OBJECT, "42"),
                        row("user", RawRecords.BAD_KEY, "{\"ind\": -6}"),
                        row("user", RawRecords.MISSING_KEY, "{\"ind\": null}"),
                        row("user", RawRecords.BAD_KEY, "{\"ind\": \"seven\"}"),
                        row("user", RawRecords.MISSING_KEY, "{\"name\": \"no key\"}")),
                local.lake().read("quarantine").select("kind", "reason", "raw"));
        assertThat(local.lake().read("quarantine").select("run_date").distinct().first().get(0))
                .isEqualTo(LocalDate.of(2024, 5, 1));
    }

    @Test
    void reRunsAndBackfillsLeaveTheSameTables() {
        LocalLake local = new LocalLake(root);
        Lake lake = local.lake();
        local.land(RecordKind.GEO, "2024-05-01", "a.json", List.of(
                "{\"ind\": 1, \"country\": \"Chad\", \"latitude\": 1, \"longitude\": 2, \"timestamp\": \"2020-01-01 00:00:00\"}",
                "{\"ind\": 2, \"country\": \"Peru\"}",
                "not json"));
        local.land(RecordKind.GEO, "2024-05-02", "b.json", List.of(
                "{\"ind\": 2, \"country\": \"Peru\"}",
                "{\"ind\": 3, \"country\": \"Fiji\"}",
                "{\"ind\": 1, \"country\": \"Chad\", \"latitude\": 1, \"longitude\": 2, \"timestamp\": \"2020-01-01 00:00:00\"}",
                "[]"));

        CleanGeo.run(lake, MAY_1);
        CleanGeo.run(lake, MAY_2);
        List<String> silver = rows(lake.read("geo"));
        List<String> quarantine = rows(lake.read("quarantine").drop("quarantined_at"));

        CleaningReport again = CleanGeo.run(lake, MAY_1);
        assertThat(again.rowsInserted() + again.rowsUpdated()).as("a replay changes no row").isZero();
        assertThat(rows(lake.read("geo"))).isEqualTo(silver);
        assertThat(rows(lake.read("quarantine").drop("quarantined_at"))).isEqualTo(quarantine);

        CleaningReport all = CleanGeo.run(lake, LandingDate.ALL);
        assertThat(List.of(all.linesRead(), all.rowsUpserted(), all.duplicatesCollapsed(), all.rowsQuarantined()))
                .containsExactly(7L, 3L, 2L, 2L);
        assertThat(rows(lake.read("geo"))).isEqualTo(silver).hasSize(3);
        assertThat(rows(lake.read("quarantine").drop("quarantined_at"))).isEqualTo(quarantine).hasSize(2);
    }

    @Test
    void theThreeCleaningJobsCanRunAtTheSameTimeAsTheDagRunsThem() throws Exception {
        LocalLake local = new LocalLake(root);
        Lake lake = local.lake();
        for (RecordKind kind : RecordKind.values()) {
            local.land(kind, "2024-05-01", "a.json", List.of("{\"ind\": 1, \"index\": 1}", "[\"" + kind.label() + "\"]"));
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            var runs = List.of(
                    pool.submit(() -> CleanPins.run(lake, MAY_1)),
                    pool.submit(() -> CleanGeo.run(lake, MAY_1)),
                    pool.submit(() -> CleanUsers.run(lake, MAY_1)));
            for (var run : runs) {
                CleaningReport report = run.get();
                assertThat(List.of(report.linesRead(), report.rowsUpserted(), report.rowsQuarantined()))
                        .as(report.kind().label()).containsExactly(2L, 1L, 1L);
            }
        } finally {
            pool.shutdown();
        }
        assertDatasetEquals(table("kind STRING, raw STRING",
                        row("pin", "[\"pin\"]"), row("geo", "[\"geo\"]"), row("user", "[\"user\"]")),
                lake.read("quarantine").select("kind", "raw"));
    }

    @Test
    void theOriginalFlatLayoutIsReadWithDateAll() {
        LocalLake local = new LocalLake(root);
        Path flat = local.land(RecordKind.PIN, "x", "ignored.json", List.of());
        Path partition0 = flat.getParent().getParent().resolve("partition=0");
        local.land(RecordKind.PIN, "2024-05-01", "a.json", List.of("{\"index\": 1, \"category\": \"art\"}"));
        try {
            java.nio.file.Files.createDirectories(partition0);
            java.nio.file.Files.writeString(partition0.resolve("p.pin.0.json"),
                    "{\"index\": 2, \"category\": \"diy\"}\n{\"ind\": 3, \"category\": \"food\"}\n");
            java.nio.file.Files.writeString(partition0.resolve("notes.txt"), "not landing data\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }

        CleaningReport report = CleanPins.run(local.lake(), LandingDate.ALL);

        assertThat(report.linesRead()).isEqualTo(3);
        assertDatasetEquals(table("ind BIGINT, category STRING", row(1L, "art"), row(2L, "diy"), row(3L, "food")),
                local.lake().read("pin").select("ind", "category"));
    }
}
