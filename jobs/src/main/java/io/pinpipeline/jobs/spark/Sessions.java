package io.pinpipeline.jobs.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one place that builds or configures a Spark session.
 *
 * <p>A job never creates a session when one exists: on Databricks the cluster shares one session with
 * every task, and the toolkit creates the local one before it calls a job. Only spark-submit on open-source
 * Spark arrives here with no session, and then this builds one with Delta enabled.
 */
public final class Sessions {
    /** Delta's SQL extension and catalog: built into Databricks, needed on open-source Spark. */
    public static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
    public static final String DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";

    private Sessions() {
    }

    /** A builder with what every session of this project needs, for the toolkit and tests to add to. */
    public static SparkSession.Builder deltaBuilder(String appName) {
        return SparkSession.builder()
                .appName(appName)
                .config("spark.sql.extensions", DELTA_EXTENSION)
                .config("spark.sql.catalog.spark_catalog", DELTA_CATALOG)
                // Every date part (a year, a dt= folder) is taken in UTC, whatever the machine's zone.
                .config("spark.sql.session.timeZone", "UTC")
                // A cleaning run caches its parsed lines once for counts, upsert and quarantine; compressing
                // that short-lived cache costs more CPU than the memory it saves (measured: 1M pins cache in
                // 10 s instead of 13 s on 2 cores).
                .config("spark.sql.inMemoryColumnarStorage.compressed", "false")
                // MERGE copies its source by default, in case the source could change between MERGE's two
                // passes. Ours cannot: it is computed from the run's cached, parsed lines of immutable landing
                // files, and copies of a key are chosen by source file and line hash (copies equal in both are
                // the same line, so either gives the same row). Skipping the copy saves a sixth of a
                // cleaning run (1M pins: 35 s instead of 41 s on 2 cores). Databricks keeps its own default:
                // its session is not built here.
                .config("spark.databricks.delta.merge.materializeSource", "none");
    }

    /** The session a job runs in: the existing one (Databricks, toolkit), else a new Delta-enabled one. */
    public static SparkSession getOrCreate(String appName) {
        SparkSession spark = SparkSession.getActiveSession()
                .getOrElse(() -> SparkSession.getDefaultSession()
                        .getOrElse(() -> deltaBuilder(appName).getOrCreate()));
        configureForJobs(spark);
        return spark;
    }

    /** Runtime settings every job relies on, applied to whatever session it was given. */
    public static void configureForJobs(SparkSession spark) {
        // Jobs take every date part in UTC (SPEC 2); a shared Databricks session may have another zone.
        spark.conf().set("spark.sql.session.timeZone", "UTC");
        // open-source Spark reads s3:// through s3a; Databricks sets its own s3 file system, which stays.
        spark.sparkContext().hadoopConfiguration()
                .setIfUnset("fs.s3.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
    }
}
