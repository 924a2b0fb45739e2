package io.pinpipeline.jobs.metrics;

import io.pinpipeline.jobs.catalog.JobCatalog;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.report.MetricReport;

/**
 * Per join year 2015..2020, the median follower count of posts.
 *
 * <p>Reads silver {@code pin} and {@code user}; overwrites gold {@code median_followers_by_join_year} atomically (see {@link Metrics#medianFollowersByJoinYear}).
 * Usage: {@code MedianFollowersByJoinYear --env prod [--date YYYY-MM-DD] [--set key=value]} as a Databricks {@code spark_jar_task},
 * or locally {@code ./pipeline run MedianFollowersByJoinYear}.
 */
public final class MedianFollowersByJoinYear {
    private static final JobCatalog.Job JOB = JobCatalog.job(MedianFollowersByJoinYear.class);
    public static final String TABLE = JOB.goldTable();

    private MedianFollowersByJoinYear() {
    }

    public static void main(String[] args) {
        MetricRun.main(args, JOB.name(), MedianFollowersByJoinYear::run);
    }

    public static MetricReport run(Lake lake) {
        return run(lake, SilverPosts.read(lake));
    }

    /** The metric from silver posts that may be shared with other metrics of the same run. */
    public static MetricReport run(Lake lake, SilverPosts posts) {
        return MetricRun.overwrite(lake, JOB, Metrics.medianFollowersByJoinYear(posts.pinsWithUsers()));
    }
}
