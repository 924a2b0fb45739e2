package io.pinpipeline.jobs.metrics;

import io.pinpipeline.jobs.lake.Lake;
import java.util.List;

/**
 * The country (or tied countries) of the poster with the most followers. Computed from silver, so that it does not wait for the top_user_by_country task.
 *
 * <p>Reads silver {@code pin} and {@code geo}; overwrites gold {@code top_country_by_user_followers} atomically (see {@link Metrics#topCountryByUserFollowers}).
 * Usage: {@code TopCountryByUserFollowers --env prod [--date YYYY-MM-DD] [--set key=value]} as a Databricks {@code spark_jar_task},
 * or locally {@code ./pipeline run TopCountryByUserFollowers}.
 */
public final class TopCountryByUserFollowers {
    public static final String TABLE = "top_country_by_user_followers";

    private TopCountryByUserFollowers() {
    }

    public static void main(String[] args) {
        MetricRun.main(args, "TopCountryByUserFollowers", TopCountryByUserFollowers::run);
    }

    public static MetricRun.Report run(Lake lake) {
        return run(lake, SilverPosts.read(lake));
    }

    /** The metric from silver posts that may be shared with other metrics of the same run. */
    public static MetricRun.Report run(Lake lake, SilverPosts posts) {
        return MetricRun.overwrite(lake, TABLE, List.of("pin", "geo"), Metrics.topCountryByUserFollowers(Metrics.topUserByCountry(posts.pinsWithGeo())));
    }
}
