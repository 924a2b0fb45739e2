package io.pinpipeline.jobs.batch;

import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.report.CleaningReport;
import io.pinpipeline.jobs.settings.JobArgs;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.jobs.spark.Sessions;

/**
 * Cleans the pins that landed for a date into the silver {@code pin} table (upsert on {@code ind}); records that cannot
 * be cleaned go to {@code quarantine}.
 *
 * <p>Reads {@code <landing.root>/topics/<prefix>.pin/dt=<date>/*.json} (every file of the topic for {@code --date all}).
 * Usage: {@code CleanPins --env prod --date 2024-05-01 [--set key=value]}, as a Databricks {@code spark_jar_task},
 * with spark-submit, or locally as {@code ./pipeline run CleanPins --date 2024-05-01}.
 */
public final class CleanPins {
    private CleanPins() {
    }

    public static void main(String[] args) {
        JobArgs jobArgs = JobArgs.parse(args);
        LandingDate date = jobArgs.requiredDate();
        Settings settings = Settings.load(jobArgs);
        run(new Lake(Sessions.getOrCreate("CleanPins"), settings), date);
    }

    public static CleaningReport run(Lake lake, LandingDate date) {
        return CleaningRun.run(lake, RecordKind.PIN, date);
    }
}
