package io.pinpipeline.jobs.metrics;

import io.pinpipeline.jobs.catalog.JobCatalog;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.report.MetricReport;

/**
 * Distinct users by join year 2015..2020.
 *
 * <p>Reads silver {@code user}; overwrites gold {@code users_joined_by_year} atomically (see {@link Metrics#usersJoinedByYear}).
 * Usage: {@code UsersJoinedByYear --env prod [--date YYYY-MM-DD] [--set key=value]} as a Databricks {@code spark_jar_task},
 * or locally {@code ./pipeline run UsersJoinedByYear}.
 */
public final class UsersJoinedByYear {
    private static final JobCatalog.Job JOB = JobCatalog.job(UsersJoinedByYear.class);
    public static final String TABLE = JOB.goldTable();

    private UsersJoinedByYear() {
    }

    public static void main(String[] args) {
        MetricRun.main(args, JOB.name(), UsersJoinedByYear::run);
    }

    public static MetricReport run(Lake lake) {
        return run(lake, SilverPosts.read(lake));
    }

    /** The metric from silver posts that may be shared with other metrics of the same run. */
    public static MetricReport run(Lake lake, SilverPosts posts) {
        return MetricRun.overwrite(lake, JOB, Metrics.usersJoinedByYear(posts.users()));
    }
}
