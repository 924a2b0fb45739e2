package io.pinpipeline.jobs.metrics;

import io.pinpipeline.jobs.catalog.JobCatalog;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.report.MetricReport;

/**
 * Per country, the poster(s) with the most followers.
 *
 * <p>Reads silver {@code pin} and {@code geo}; overwrites gold {@code top_user_by_country} atomically (see {@link Metrics#topUserByCountry}).
 * Usage: {@code TopUserByCountry --env prod [--date YYYY-MM-DD] [--set key=value]} as a Databricks {@code spark_jar_task},
 * or locally {@code ./pipeline run TopUserByCountry}.
 */
public final class TopUserByCountry {
    private static final JobCatalog.Job JOB = JobCatalog.job(TopUserByCountry.class);
    public static final String TABLE = JOB.goldTable();

    private TopUserByCountry() {
    }

    public static void main(String[] args) {
        MetricRun.main(args, JOB.name(), TopUserByCountry::run);
    }

    public static MetricReport run(Lake lake) {
        return run(lake, SilverPosts.read(lake));
    }

    /** The metric from silver posts that may be shared with other metrics of the same run. */
    public static MetricReport run(Lake lake, SilverPosts posts) {
        return MetricRun.overwrite(lake, JOB, Metrics.topUserByCountry(posts.pinsWithGeo()));
    }
}
