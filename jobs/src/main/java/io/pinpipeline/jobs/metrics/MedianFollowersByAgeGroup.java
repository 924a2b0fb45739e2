package io.pinpipeline.jobs.metrics;

import io.pinpipeline.jobs.catalog.JobCatalog;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.report.MetricReport;

/**
 * Per age group, the median follower count of posts.
 *
 * <p>Reads silver {@code pin} and {@code user}; overwrites gold {@code median_followers_by_age_group} atomically (see {@link Metrics#medianFollowersByAgeGroup}).
 * Usage: {@code MedianFollowersByAgeGroup --env prod [--date YYYY-MM-DD] [--set key=value]} as a Databricks {@code spark_jar_task},
 * or locally {@code ./pipeline run MedianFollowersByAgeGroup}.
 */
public final class MedianFollowersByAgeGroup {
    private static final JobCatalog.Job JOB = JobCatalog.job(MedianFollowersByAgeGroup.class);
    public static final String TABLE = JOB.goldTable();

    private MedianFollowersByAgeGroup() {
    }

    public static void main(String[] args) {
        MetricRun.main(args, JOB.name(), MedianFollowersByAgeGroup::run);
    }

    public static MetricReport run(Lake lake) {
        return run(lake, SilverPosts.read(lake));
    }

    /** The metric from silver posts that may be shared with other metrics of the same run. */
    public static MetricReport run(Lake lake, SilverPosts posts) {
        return MetricRun.overwrite(lake, JOB, Metrics.medianFollowersByAgeGroup(posts.pinsWithUsers()));
    }
}
