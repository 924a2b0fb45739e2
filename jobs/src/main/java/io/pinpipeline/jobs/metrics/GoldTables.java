package io.pinpipeline.jobs.metrics;

import java.util.List;

/** The nine gold tables, in the order the batch DAG computes them. */
public final class GoldTables {
    public static final List<String> ALL = List.of(
            TopCategoryByCountry.TABLE,
            TopCategoryByYear.TABLE,
            TopUserByCountry.TABLE,
            TopCountryByUserFollowers.TABLE,
            TopCategoryByAgeGroup.TABLE,
            MedianFollowersByAgeGroup.TABLE,
            UsersJoinedByYear.TABLE,
            MedianFollowersByJoinYear.TABLE,
            MedianFollowersByAgeGroupAndJoinYear.TABLE);

    private GoldTables() {
    }
}
