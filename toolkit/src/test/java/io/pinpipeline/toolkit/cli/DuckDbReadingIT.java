package io.pinpipeline.toolkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.jobs.spark.Sessions;
import io.pinpipeline.toolkit.bench.DuckDbCheck;
import io.pinpipeline.toolkit.bench.DuckDbReading;
import io.pinpipeline.toolkit.bench.TableComparison;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DuckDB reading of SPEC and the Spark batch jobs, on the same landing files, make the same tables: the real
 * 2,262-post capture landed for 2024-05-01, plus one file of edge cases for each kind in each of the two days the run
 * reads (2024-04-30 through the lateness window).
 */
class DuckDbReadingIT {
    static final LocalDate DAY = LocalDate.of(2024, 5, 1);
    static final String PREFIX = "duck0a1b";
    /** Small, so that a line over it is cheap to write. */
    static final int MAX_LINE_BYTES = 2_000;

    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = Sessions.deltaBuilder("duckdb-reading-it")
                // two cores, as on the CI machine
                .master("local[2]")
                // a few thousand rows: one shuffle partition instead of 200
                .config("spark.sql.shuffle.partitions", "1")
                // no web UI to start, no port to bind; loopback only
                .config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                // Delta reads its log with one partition: the tables are tiny
                .config("spark.databricks.delta.snapshotPartitions", "1")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void sparkAndDuckDbMakeTheSameTablesFromTheCaptureAndTheEdgeCases(@TempDir Path root) throws IOException {
        Settings settings = Settings.load("local", Map.of("prefix", PREFIX,
                "landing.root", root.resolve("landing").toString(), "lake.root", root.resolve("lake").toString(),
                "landing.max-line-bytes", Integer.toString(MAX_LINE_BYTES)));
        for (RecordKind kind : RecordKind.values()) {
            land(root, kind, DAY, kind.topic(PREFIX) + "+0+0000000000.json", capture(kind));
            land(root, kind, DAY, kind.topic(PREFIX) + "+1+0000000000.json", EdgeCases.linesOf(kind, DAY));
            land(root, kind, DAY.minusDays(1), kind.topic(PREFIX) + "+0+0000000000.json",
                    EdgeCases.linesOf(kind, DAY.minusDays(1)));
        }
        LandingDate date = LandingDate.of(DAY);
        Lake lake = new Lake(spark, settings);
        BatchRun.run(lake, date);

        try (DuckDbReading duckdb = DuckDbReading.run(DuckDbReading.landedFiles(settings, date), settings.maxLineBytes())) {
            List<TableComparison.Mismatch> mismatches = DuckDbCheck.mismatches(lake, duckdb, root.resolve("duckdb"));

            assertThat(mismatches).as("tables that differ between Spark and DuckDB").isEmpty();
            assertThat(lake.read("quarantine").count()).as("the edge cases reach quarantine").isGreaterThan(20);
            assertThat(lake.read("pin").count()).as("the capture's 2,019 keys and the edge cases' own")
                    .isGreaterThan(2_019);
        }
    }

    private static String capture(RecordKind kind) throws IOException {
        try (InputStream in = DuckDbReadingIT.class.getResourceAsStream("/capture/" + kind.label() + ".jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void land(Path root, RecordKind kind, LocalDate day, String file, String text) throws IOException {
        Path folder = root.resolve("landing/topics").resolve(kind.topic(PREFIX)).resolve("dt=" + day);
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(file), text);
    }
}
