package io.pinpipeline.toolkit.local;

import io.pinpipeline.jobs.spark.Sessions;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * The local session that ./pipeline runs jobs in: the jobs find it with getOrCreate, as they find the
 * cluster's session on Databricks. Local-only settings live here, on top of the jobs' own.
 */
public final class LocalSpark {
    /** What a Spark driver on this machine needs, here and in the local Databricks' driver JVMs. */
    public static final Map<String, String> LOCAL_CONF = Map.of(
            // no web UI: nothing to look at in a batch run, and no port to take
            "spark.ui.enabled", "false",
            // bind loopback only: otherwise Spark picks a non-loopback address on some machines
            "spark.driver.bindAddress", "127.0.0.1",
            "spark.driver.host", "127.0.0.1",
            // a laptop has a few cores: 200 shuffle partitions would be 200 tiny tasks (AQE coalesces further)
            "spark.sql.shuffle.partitions", "8",
            // Delta's log of a local table is small
            "spark.databricks.delta.snapshotPartitions", "2");

    private LocalSpark() {
    }

    public static SparkSession start() {
        SparkSession.Builder builder = Sessions.deltaBuilder("pipeline")
                .master("local[*]")
                // export and demo read timestamps as Instant: no JVM time zone in the way
                .config("spark.sql.datetime.java8API.enabled", "true");
        LOCAL_CONF.forEach(builder::config);
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    /** Runs {@code work} in a local session started for it, and stops the session after, whatever happens. */
    public static void with(Consumer<SparkSession> work) {
        SparkSession spark = start();
        try {
            work.accept(spark);
        } finally {
            spark.stop();
        }
    }
}
