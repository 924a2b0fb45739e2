package io.pinpipeline.jobs.metrics;

import io.pinpipeline.jobs.catalog.JobCatalog;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.report.MetricReport;

/**
 * The country (or tied countries) of the poster with the most followers. Computed from silver, so that it does not wait for the top_user_by_country task.
 *
 * <p>Reads silver {@code pin} and {@code geo}; overwrites gold {@code top_country_by_user_followers} atomically (see {@link Metrics#topCountryByUserFollowers}).
 * Usage: {@code TopCountryByUserFollowers --env prod [--date YYYY-MM-DD] [--set key=value]} as a Databricks {@code spark_jar_task},
 * or locally {@code ./pipeline run TopCountryByUserFollowers}.
 */
public final class TopCountryByUserFollowers {
    private static final JobCatalog.Job JOB = JobCatalog.job(TopCountryByUserFollowers.class);
    public static final String TABLE = JOB.goldTable();

    private TopCountryByUserFollowers() {
    }

    public static void main(String[] args) {
        MetricRun.main(args, JOB.name(), TopCountryByUserFollowers::run);
    }

    public static MetricReport run(Lake lake) {
        return run(lake, SilverPosts.read(lake));
    }

    /** The metric from silver posts that may be shared with other metrics of the same run. */
    public static MetricReport run(Lake lake, SilverPosts posts) {
        return MetricRun.overwrite(lake, JOB, Metrics.topCountryByUserFollowers(Metrics.topUserByCountry(posts.pinsWithGeo())));
    }
}
