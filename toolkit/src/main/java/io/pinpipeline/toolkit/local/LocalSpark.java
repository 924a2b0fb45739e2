package io.pinpipeline.toolkit.local;

import io.pinpipeline.jobs.spark.Sessions;
import org.apache.spark.sql.SparkSession;

/**
 * The local session that ./pipeline runs jobs in: the jobs find it with getOrCreate, as they find the
 * cluster's session on Databricks. Local-only settings live here, on top of the jobs' own.
 */
public final class LocalSpark {
    private LocalSpark() {
    }

    public static SparkSession start() {
        SparkSession spark = Sessions.deltaBuilder("pipeline")
                .master("local[*]")
                // no web UI: nothing to look at in a batch run, and no port to take
                .config("spark.ui.enabled", "false")
                // bind loopback only: otherwise Spark picks a non-loopback address on some machines
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                // a laptop has a few cores: 200 shuffle partitions would be 200 tiny tasks (AQE coalesces further)
                .config("spark.sql.shuffle.partitions", "8")
                // export and demo read timestamps as Instant: no JVM time zone in the way
                .config("spark.sql.datetime.java8API.enabled", "true")
                // Delta's log of a local table is small
                .config("spark.databricks.delta.snapshotPartitions", "2")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
