package io.pinpipeline.jobs.metrics;

import static io.pinpipeline.jobs.records.Columns.AGE;
import static io.pinpipeline.jobs.records.Columns.CATEGORY;
import static io.pinpipeline.jobs.records.Columns.COUNTRY;
import static io.pinpipeline.jobs.records.Columns.DATE_JOINED;
import static io.pinpipeline.jobs.records.Columns.FOLLOWER_COUNT;
import static io.pinpipeline.jobs.records.Columns.IND;
import static io.pinpipeline.jobs.records.Columns.POSTER_NAME;
import static io.pinpipeline.jobs.records.Columns.TIMESTAMP;
import static io.pinpipeline.jobs.records.Columns.USER_NAME;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.median;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import io.pinpipeline.jobs.clean.RequiredColumns;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The nine gold tables as pure functions of the silver tables (SPEC 5). Posts are silver rows joined on
 * {@code ind} (inner join); a row with a null in a column that a metric groups or ranks by is left out of that
 * metric; "most" keeps every tied row; medians are exact and interpolated (Spark's {@code median} is the exact
 * {@code percentile(x, 0.5)}, the mean of the two middle values for an even count), as DOUBLE.
 */
public final class Metrics {
    public static final String CATEGORY_COUNT = "category_count";
    public static final String POST_YEAR = "post_year";
    public static final String JOIN_YEAR = "join_year";
    public static final String AGE_GROUP = "age_group";
    public static final String MEDIAN_FOLLOWER_COUNT = "median_follower_count";
    public static final String NUMBER_USERS_JOINED = "number_users_joined";

    /** Post years counted by {@code top_category_by_year}. */
    public static final int FIRST_POST_YEAR = 2018;
    public static final int LAST_POST_YEAR = 2022;
    /** Join years counted by the join-year metrics. */
    public static final int FIRST_JOIN_YEAR = 2015;
    public static final int LAST_JOIN_YEAR = 2020;

    private Metrics() {
    }

    /** {@code country, category, category_count}: per country, the category with most posts (pin⋈geo). */
    public static Dataset<Row> topCategoryByCountry(Dataset<Row> pins, Dataset<Row> geo) {
        return topCategoryByCountry(posts(pins, geo));
    }

    /** {@link #topCategoryByCountry(Dataset, Dataset)} of posts already joined (pin⋈geo). */
    public static Dataset<Row> topCategoryByCountry(Dataset<Row> pinsWithGeo) {
        return mostPostedCategory(pinsWithGeo, COUNTRY);
    }

    /** {@code post_year, category, category_count}: per year of the geo timestamp, 2018..2022, the top category. */
    public static Dataset<Row> topCategoryByYear(Dataset<Row> pins, Dataset<Row> geo) {
        return topCategoryByYear(posts(pins, geo));
    }

    /** {@link #topCategoryByYear(Dataset, Dataset)} of posts already joined (pin⋈geo). */
    public static Dataset<Row> topCategoryByYear(Dataset<Row> pinsWithGeo) {
        Dataset<Row> posts = pinsWithGeo.withColumn(POST_YEAR, year(col(TIMESTAMP)))
                .filter(col(POST_YEAR).between(FIRST_POST_YEAR, LAST_POST_YEAR));
        return mostPostedCategory(posts, POST_YEAR);
    }

    /**
     * {@code country, poster_name, follower_count}: per country, the poster(s) with the highest follower_count
     * among the country's posts (pin⋈geo), one row per (country, poster).
     */
    public static Dataset<Row> topUserByCountry(Dataset<Row> pins, Dataset<Row> geo) {
        return topUserByCountry(posts(pins, geo));
    }

    /** {@link #topUserByCountry(Dataset, Dataset)} of posts already joined (pin⋈geo). */
    public static Dataset<Row> topUserByCountry(Dataset<Row> pinsWithGeo) {
        Dataset<Row> posters = pinsWithGeo
                .filter(col(COUNTRY).isNotNull().and(col(POSTER_NAME).isNotNull()).and(col(FOLLOWER_COUNT).isNotNull()))
                .select(COUNTRY, POSTER_NAME, FOLLOWER_COUNT)
                .distinct();
        return keepTop(posters, FOLLOWER_COUNT, COUNTRY).select(COUNTRY, POSTER_NAME, FOLLOWER_COUNT);
    }

    /** {@code country, follower_count}: the country (or tied countries) of the highest follower_count in topUserByCountry. */
    public static Dataset<Row> topCountryByUserFollowers(Dataset<Row> topUserByCountry) {
        RequiredColumns.check(topUserByCountry, "topCountryByUserFollowers", COUNTRY, FOLLOWER_COUNT);
        Dataset<Row> countries = topUserByCountry.select(COUNTRY, FOLLOWER_COUNT).distinct();
        return keepTop(countries, FOLLOWER_COUNT).select(COUNTRY, FOLLOWER_COUNT);
    }

    /** {@code age_group, category, category_count}: per age group, the category with most posts (pin⋈user). */
    public static Dataset<Row> topCategoryByAgeGroup(Dataset<Row> pins, Dataset<Row> users) {
        return topCategoryByAgeGroup(posts(pins, users));
    }

    /** {@link #topCategoryByAgeGroup(Dataset, Dataset)} of posts already joined (pin⋈user). */
    public static Dataset<Row> topCategoryByAgeGroup(Dataset<Row> pinsWithUsers) {
        return mostPostedCategory(withAgeGroup(pinsWithUsers), AGE_GROUP);
    }

    /** {@code age_group, median_follower_count}: the median follower_count of posts (pin⋈user) per age group. */
    public static Dataset<Row> medianFollowersByAgeGroup(Dataset<Row> pins, Dataset<Row> users) {
        return medianFollowersByAgeGroup(posts(pins, users));
    }

    /** {@link #medianFollowersByAgeGroup(Dataset, Dataset)} of posts already joined (pin⋈user). */
    public static Dataset<Row> medianFollowersByAgeGroup(Dataset<Row> pinsWithUsers) {
        return medianFollowers(withAgeGroup(pinsWithUsers), AGE_GROUP);
    }

    /**
     * {@code join_year, number_users_joined}: distinct users by year of date_joined, 2015..2020, a user being a
     * (user_name, age, date_joined) triple with all three non-null. Reads the user table alone: a user counts
     * whether or not a pin of theirs was cleaned.
     */
    public static Dataset<Row> usersJoinedByYear(Dataset<Row> users) {
        RequiredColumns.check(users, "usersJoinedByYear", USER_NAME, AGE, DATE_JOINED);
        return users
                .filter(col(USER_NAME).isNotNull().and(col(AGE).isNotNull()).and(col(DATE_JOINED).isNotNull()))
                .select(USER_NAME, AGE, DATE_JOINED).distinct()
                .withColumn(JOIN_YEAR, year(col(DATE_JOINED)))
                .filter(col(JOIN_YEAR).between(FIRST_JOIN_YEAR, LAST_JOIN_YEAR))
                .groupBy(JOIN_YEAR)
                .agg(count(lit(1)).as(NUMBER_USERS_JOINED));
    }

    /** {@code join_year, median_follower_count}: posts (pin⋈user) by year of date_joined, 2015..2020. */
    public static Dataset<Row> medianFollowersByJoinYear(Dataset<Row> pins, Dataset<Row> users) {
        return medianFollowersByJoinYear(posts(pins, users));
    }

    /** {@link #medianFollowersByJoinYear(Dataset, Dataset)} of posts already joined (pin⋈user). */
    public static Dataset<Row> medianFollowersByJoinYear(Dataset<Row> pinsWithUsers) {
        return medianFollowers(withJoinYear(pinsWithUsers), JOIN_YEAR);
    }

    /** {@code age_group, join_year, median_follower_count}: as medianFollowersByJoinYear, also by age group. */
    public static Dataset<Row> medianFollowersByAgeGroupAndJoinYear(Dataset<Row> pins, Dataset<Row> users) {
        return medianFollowersByAgeGroupAndJoinYear(posts(pins, users));
    }

    /** {@link #medianFollowersByAgeGroupAndJoinYear(Dataset, Dataset)} of posts already joined (pin⋈user). */
    public static Dataset<Row> medianFollowersByAgeGroupAndJoinYear(Dataset<Row> pinsWithUsers) {
        return medianFollowers(withAgeGroup(withJoinYear(pinsWithUsers)), AGE_GROUP, JOIN_YEAR);
    }

    /** 18–24 {@code 18-24}, 25–35 {@code 25-35}, 36–50 {@code 36-50}, over 50 {@code +50}; any other age is null. */
    public static Column ageGroup(Column age) {
        return when(age.between(18, 24), lit("18-24"))
                .when(age.between(25, 35), lit("25-35"))
                .when(age.between(36, 50), lit("36-50"))
                .when(age.gt(50), lit("+50"));
    }

    /** Posts: pins inner-joined with another silver table on ind. */
    static Dataset<Row> posts(Dataset<Row> pins, Dataset<Row> other) {
        RequiredColumns.check(pins, "posts", IND, CATEGORY, POSTER_NAME, FOLLOWER_COUNT);
        RequiredColumns.check(other, "posts", IND);
        return pins.join(other, IND);
    }

    private static Dataset<Row> withAgeGroup(Dataset<Row> posts) {
        return posts.withColumn(AGE_GROUP, ageGroup(col(AGE)));
    }

    private static Dataset<Row> withJoinYear(Dataset<Row> posts) {
        return posts.withColumn(JOIN_YEAR, year(col(DATE_JOINED)))
                .filter(col(JOIN_YEAR).between(FIRST_JOIN_YEAR, LAST_JOIN_YEAR));
    }

    /** Per group, the category (or tied categories) with most posts; rows with a null group or category left out. */
    private static Dataset<Row> mostPostedCategory(Dataset<Row> posts, String group) {
        Dataset<Row> counts = posts
                .filter(col(group).isNotNull().and(col(CATEGORY).isNotNull()))
                .groupBy(group, CATEGORY)
                .agg(count(lit(1)).as(CATEGORY_COUNT));
        return keepTop(counts, CATEGORY_COUNT, group).select(group, CATEGORY, CATEGORY_COUNT);
    }

    /** The median follower_count per group; rows with a null in a group column or follower_count left out. */
    private static Dataset<Row> medianFollowers(Dataset<Row> posts, String... groups) {
        Column noNulls = col(FOLLOWER_COUNT).isNotNull();
        for (String group : groups) {
            noNulls = noNulls.and(col(group).isNotNull());
        }
        return posts.filter(noNulls)
                .groupBy(columns(groups))
                .agg(median(col(FOLLOWER_COUNT)).cast("double").as(MEDIAN_FOLLOWER_COUNT));
    }

    private static Column[] columns(String... names) {
        return Arrays.stream(names).map(name -> col(name)).toArray(Column[]::new);
    }

    /** The rows whose {@code value} is the highest of their partition (of all rows, with no partition): ties stay. */
    private static Dataset<Row> keepTop(Dataset<Row> rows, String value, String... partitionBy) {
        String top = "_top";
        return rows.withColumn(top, max(col(value)).over(Window.partitionBy(columns(partitionBy))))
                .filter(col(value).equalTo(col(top)))
                .drop(top);
    }
}
