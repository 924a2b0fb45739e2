package io.pinpipeline.jobs.testing;

import io.pinpipeline.jobs.spark.Sessions;
import java.io.IOException;
import java.nio.file.Files;
import org.apache.spark.sql.SparkSession;

/** The one local session every test shares: starting Spark takes seconds, a test should not pay for it. */
public final class TestSpark {
    private static SparkSession spark;

    private TestSpark() {
    }

    public static synchronized SparkSession session() {
        if (spark == null) {
            try {
                spark = Sessions.deltaBuilder("pipeline-tests")
                        // two cores, as on the CI machine
                        .master("local[2]")
                        // test data is a handful of rows: one shuffle partition instead of 200
                        .config("spark.sql.shuffle.partitions", "1")
                        .config("spark.default.parallelism", "2")
                        // no web UI to start, no port to bind
                        .config("spark.ui.enabled", "false")
                        // otherwise Spark binds a non-loopback address on these machines
                        .config("spark.driver.bindAddress", "127.0.0.1")
                        .config("spark.driver.host", "127.0.0.1")
                        // collect timestamps as Instant and dates as LocalDate: no JVM time zone in the way
                        .config("spark.sql.datetime.java8API.enabled", "true")
                        // Delta reads its log with one partition: tables in tests are tiny
                        .config("spark.databricks.delta.snapshotPartitions", "1")
                        .config("spark.sql.warehouse.dir",
                                Files.createTempDirectory("spark-warehouse").toUri().toString())
                        .getOrCreate();
            } catch (IOException e) {
                throw new IllegalStateException("cannot make a warehouse folder", e);
            }
            spark.sparkContext().setLogLevel("WARN");
        }
        return spark;
    }
}
