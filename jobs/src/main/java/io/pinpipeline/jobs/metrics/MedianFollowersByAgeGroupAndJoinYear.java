package io.pinpipeline.jobs.metrics;

import io.pinpipeline.jobs.catalog.JobCatalog;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.report.MetricReport;

/**
 * Per age group and join year 2015..2020, the median follower count of posts.
 *
 * <p>Reads silver {@code pin} and {@code user}; overwrites gold {@code median_followers_by_age_group_and_join_year} atomically (see {@link Metrics#medianFollowersByAgeGroupAndJoinYear}).
 * Usage: {@code MedianFollowersByAgeGroupAndJoinYear --env prod [--date YYYY-MM-DD] [--set key=value]} as a Databricks {@code spark_jar_task},
 * or locally {@code ./pipeline run MedianFollowersByAgeGroupAndJoinYear}.
 */
public final class MedianFollowersByAgeGroupAndJoinYear {
    private static final JobCatalog.Job JOB = JobCatalog.job(MedianFollowersByAgeGroupAndJoinYear.class);
    public static final String TABLE = JOB.goldTable();

    private MedianFollowersByAgeGroupAndJoinYear() {
    }

    public static void main(String[] args) {
        MetricRun.main(args, JOB.name(), MedianFollowersByAgeGroupAndJoinYear::run);
    }

    public static MetricReport run(Lake lake) {
        return run(lake, SilverPosts.read(lake));
    }

    /** The metric from silver posts that may be shared with other metrics of the same run. */
    public static MetricReport run(Lake lake, SilverPosts posts) {
        return MetricRun.overwrite(lake, JOB, Metrics.medianFollowersByAgeGroupAndJoinYear(posts.pinsWithUsers()));
    }
}
