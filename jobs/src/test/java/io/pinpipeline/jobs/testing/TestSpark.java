package io.pinpipeline.jobs.testing;

import io.pinpipeline.jobs.spark.Sessions;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** The one local session every test shares: starting Spark takes seconds, a test should not pay for it. */
public final class TestSpark {
    /**
     * The settings of every test session, in this JVM and in a job's own JVM ({@link JobProcess}); a {@code LinkedHashMap}
     * so that they read in the order below.
     */
    static final Map<String, String> SETTINGS = settings();

    private static SparkSession spark;

    private static Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        // two cores, as on the CI machine
        settings.put("spark.master", "local[2]");
        // test data is a handful of rows: one shuffle partition instead of 200
        settings.put("spark.sql.shuffle.partitions", "1");
        settings.put("spark.default.parallelism", "2");
        // no web UI to start, no port to bind
        settings.put("spark.ui.enabled", "false");
        // otherwise Spark binds a non-loopback address on these machines
        settings.put("spark.driver.bindAddress", "127.0.0.1");
        settings.put("spark.driver.host", "127.0.0.1");
        // Delta reads its log with one partition: tables in tests are tiny
        settings.put("spark.databricks.delta.snapshotPartitions", "1");
        return Collections.unmodifiableMap(settings);
    }

    private TestSpark() {
    }

    public static synchronized SparkSession session() {
        if (spark == null) {
            try {
                SparkSession.Builder builder = Sessions.deltaBuilder("pipeline-tests")
                        // collect timestamps as Instant and dates as LocalDate: no JVM time zone in the way
                        .config("spark.sql.datetime.java8API.enabled", "true")
                        .config("spark.sql.warehouse.dir",
                                Files.createTempDirectory("spark-warehouse").toUri().toString());
                SETTINGS.forEach(builder::config);
                spark = builder.getOrCreate();
            } catch (IOException e) {
                throw new IllegalStateException("cannot make a warehouse folder", e);
            }
            spark.sparkContext().setLogLevel("WARN");
        }
        return spark;
    }
}
