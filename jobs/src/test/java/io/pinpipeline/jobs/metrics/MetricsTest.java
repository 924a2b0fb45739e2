package io.pinpipeline.jobs.metrics;

import static io.pinpipeline.jobs.testing.DatasetAssert.assertDatasetEquals;
import static io.pinpipeline.jobs.testing.TestData.row;
import static io.pinpipeline.jobs.testing.TestData.table;
import static io.pinpipeline.jobs.testing.TestData.utc;

import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Each gold table on tiny silver inputs, against tables computed by hand. */
class MetricsTest {

    /** Silver pins with the columns the metrics read: ind, category, poster_name, follower_count. */
    static Dataset<Row> pins(Object[]... rows) {
        return table("ind BIGINT, category STRING, poster_name STRING, follower_count INT", rows);
    }

    static Dataset<Row> geo(Object[]... rows) {
        return table("ind BIGINT, country STRING, timestamp TIMESTAMP", rows);
    }

    static Dataset<Row> users(Object[]... rows) {
        return table("ind BIGINT, user_name STRING, age INT, date_joined TIMESTAMP", rows);
    }

    /** Pins 1..n with the given categories, all by one poster with 1 follower. */
    static Dataset<Row> pinsOfCategories(String... categories) {
        return pins(java.util.stream.IntStream.range(0, categories.length)
                .mapToObj(i -> row((long) i + 1, categories[i], "p", 1)).toArray(Object[][]::new));
    }

    @Test
    void topCategoryByCountryKeepsTiesAndLeavesOutNullsAndUnjoinedRows() {
        Dataset<Row> pins = pinsOfCategories("art", "art", "diy", "diy", "food", null, "art", "art");
        Dataset<Row> geo = geo(
                row(1L, "Chad", null), row(2L, "Chad", null), row(3L, "Chad", null), row(4L, "Chad", null),
                row(5L, "Peru", null), row(6L, "Peru", null), row(7L, null, null), row(9L, "Fiji", null));

        assertDatasetEquals(table("country STRING, category STRING, category_count BIGINT",
                        row("Chad", "art", 2L), row("Chad", "diy", 2L), row("Peru", "food", 1L)),
                Metrics.topCategoryByCountry(pins, geo));
    }

    @Test
    void topCategoryByYearCountsOnly2018To2022() {
        Dataset<Row> pins = pinsOfCategories("art", "diy", "diy", "food", "art", "beauty", "beauty", "art");
        Dataset<Row> geo = geo(
                row(1L, "Chad", utc("2017-12-31T23:59:59")),
                row(2L, "Chad", utc("2018-01-01T00:00:00")),
                row(3L, "Chad", utc("2018-06-01T00:00:00")),
                row(4L, "Chad", utc("2018-12-31T23:59:59")),
                row(5L, "Chad", utc("2022-12-31T23:59:59")),
                row(6L, "Chad", utc("2023-01-01T00:00:00")),
                row(7L, "Chad", null),
                row(8L, "Chad", utc("2022-03-01T00:00:00")));

        assertDatasetEquals(table("post_year INT, category STRING, category_count BIGINT",
                        row(2018, "diy", 2L), row(2022, "art", 2L)),
                Metrics.topCategoryByYear(pins, geo));
    }

    @Test
    void topUserByCountryAndTopCountryKeepTiesOnceEach() {
        Dataset<Row> pins = pins(
                row(1L, "art", "Ann", 500), row(2L, "art", "Ann", 500), row(3L, "art", "Bob", 500),
                row(4L, "art", "Cy", 100), row(5L, "art", "Di", null),
                row(6L, "art", null, 1000), row(7L, "art", "Ed", 10),
                row(8L, "art", "Flo", 500), row(9L, "art", "Gus", 5000));
        Dataset<Row> geo = geo(
                row(1L, "Chad", null), row(2L, "Chad", null), row(3L, "Chad", null), row(4L, "Chad", null),
                row(5L, "Chad", null), row(6L, "Peru", null), row(7L, "Peru", null), row(8L, "Fiji", null),
                row(9L, null, null));

        Dataset<Row> topUsers = Metrics.topUserByCountry(pins, geo);
        assertDatasetEquals(table("country STRING, poster_name STRING, follower_count INT",
                        row("Chad", "Ann", 500), row("Chad", "Bob", 500), row("Peru", "Ed", 10), row("Fiji", "Flo", 500)),
                topUsers);
        assertDatasetEquals(table("country STRING, follower_count INT", row("Chad", 500), row("Fiji", 500)),
                Metrics.topCountryByUserFollowers(topUsers));
    }

    /** Ages around every group boundary, each with one post. */
    static final Object[][] USERS_BY_AGE = {
            row(1L, "u1", 17, utc("2016-01-01T00:00:00")),
            row(2L, "u2", 18, utc("2016-01-01T00:00:00")),
            row(3L, "u3", 24, utc("2016-01-01T00:00:00")),
            row(4L, "u4", 25, utc("2016-01-01T00:00:00")),
            row(5L, "u5", 35, utc("2016-01-01T00:00:00")),
            row(6L, "u6", 30, utc("2016-01-01T00:00:00")),
            row(7L, "u7", 36, utc("2016-01-01T00:00:00")),
            row(8L, "u8", 50, utc("2016-01-01T00:00:00")),
            row(9L, "u9", 51, utc("2016-01-01T00:00:00")),
            row(10L, "u10", null, utc("2016-01-01T00:00:00")),
            row(11L, "u11", 20, utc("2016-01-01T00:00:00"))};

    @Test
    void ageGroupsHaveExactBoundaries() {
        Dataset<Row> pins = pins(
                row(1L, "a", "p", 1), row(2L, "b", "p", 10), row(3L, "b", "p", 20), row(4L, "c", "p", 1),
                row(5L, "c", "p", 2), row(6L, "d", "p", 4), row(7L, "e", "p", 7), row(8L, "e", "p", 8),
                row(9L, "f", "p", 100), row(10L, "g", "p", 9), row(11L, "h", "p", null));

        assertDatasetEquals(table("age_group STRING, category STRING, category_count BIGINT",
                        row("18-24", "b", 2L),
                        row("25-35", "c", 2L),
                        row("36-50", "e", 2L),
                        row("+50", "f", 1L)),
                Metrics.topCategoryByAgeGroup(pins, users(USERS_BY_AGE)));
        // 18-24: 10, 20 (even: mean of the two middle values); 25-35: 1, 2, 4 (odd); the null follower count of
        // the age-20 post is left out; ages 17 and null have no group.
        assertDatasetEquals(table("age_group STRING, median_follower_count DOUBLE",
                        row("18-24", 15.0), row("25-35", 2.0), row("36-50", 7.5), row("+50", 100.0)),
                Metrics.medianFollowersByAgeGroup(pins, users(USERS_BY_AGE)));
    }

    @Test
    void usersJoinedByYearCountsDistinctCompleteUsersIn2015To2020() {
        Dataset<Row> users = users(
                row(1L, "Ann", 30, utc("2014-12-31T23:59:59")),
                row(2L, "Bob", 30, utc("2015-01-01T00:00:00")),
                row(3L, "Bob", 30, utc("2015-01-01T00:00:00")),
                row(4L, "Bob", 31, utc("2015-01-01T00:00:00")),
                row(5L, null, 30, utc("2015-05-01T00:00:00")),
                row(6L, "Cy", null, utc("2015-05-01T00:00:00")),
                row(7L, "Di", 40, null),
                row(8L, "Ed", 40, utc("2020-12-31T23:59:59")),
                row(9L, "Flo", 40, utc("2021-01-01T00:00:00")));

        assertDatasetEquals(table("join_year INT, number_users_joined BIGINT", row(2015, 2L), row(2020, 1L)),
                Metrics.usersJoinedByYear(users));
    }

    @Test
    void mediansByJoinYearAndByAgeGroupAndJoinYear() {
        Dataset<Row> users = users(
                row(1L, "a", 20, utc("2014-12-31T00:00:00")),
                row(2L, "b", 20, utc("2015-03-01T00:00:00")),
                row(3L, "c", 22, utc("2015-04-01T00:00:00")),
                row(4L, "d", 40, utc("2015-05-01T00:00:00")),
                row(5L, "e", 60, utc("2020-01-01T00:00:00")),
                row(6L, "f", 60, utc("2021-01-01T00:00:00")),
                row(7L, "g", 17, utc("2016-01-01T00:00:00")),
                row(8L, "h", 20, null));
        Dataset<Row> pins = pins(
                row(1L, "x", "p", 1000), row(2L, "x", "p", 1), row(3L, "x", "p", 4), row(4L, "x", "p", 10),
                row(5L, "x", "p", 7), row(6L, "x", "p", 9), row(7L, "x", "p", 3), row(8L, "x", "p", 5));

        assertDatasetEquals(table("join_year INT, median_follower_count DOUBLE",
                        row(2015, 4.0), row(2016, 3.0), row(2020, 7.0)),
                Metrics.medianFollowersByJoinYear(pins, users));
        assertDatasetEquals(table("age_group STRING, join_year INT, median_follower_count DOUBLE",
                        row("18-24", 2015, 2.5), row("36-50", 2015, 10.0), row("+50", 2020, 7.0)),
                Metrics.medianFollowersByAgeGroupAndJoinYear(pins, users));
    }

    @Test
    void saysWhichColumnsAreMissing() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> Metrics.topCategoryByCountry(table("ind BIGINT, title STRING"), geo()))
                .hasMessageContaining("posts needs columns [category, poster_name, follower_count]");
        org.assertj.core.api.Assertions.assertThat(Arrays.asList(USERS_BY_AGE)).hasSize(11);
    }
}
