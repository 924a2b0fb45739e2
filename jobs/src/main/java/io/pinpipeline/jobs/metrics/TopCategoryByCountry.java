package io.pinpipeline.jobs.metrics;

import io.pinpipeline.jobs.lake.Lake;
import java.util.List;

/**
 * Per country, the category with most posts.
 *
 * <p>Reads silver {@code pin} and {@code geo}; overwrites gold {@code top_category_by_country} atomically (see {@link Metrics#topCategoryByCountry}).
 * Usage: {@code TopCategoryByCountry --env prod [--date YYYY-MM-DD] [--set key=value]} as a Databricks {@code spark_jar_task},
 * or locally {@code ./pipeline run TopCategoryByCountry}.
 */
public final class TopCategoryByCountry {
    public static final String TABLE = "top_category_by_country";

    private TopCategoryByCountry() {
    }

    public static void main(String[] args) {
        MetricRun.main(args, "TopCategoryByCountry", TopCategoryByCountry::run);
    }

    public static MetricRun.Report run(Lake lake) {
        return run(lake, SilverPosts.read(lake));
    }

    /** The metric from silver posts that may be shared with other metrics of the same run. */
    public static MetricRun.Report run(Lake lake, SilverPosts posts) {
        return MetricRun.overwrite(lake, TABLE, List.of("pin", "geo"), Metrics.topCategoryByCountry(posts.pinsWithGeo()));
    }
}
