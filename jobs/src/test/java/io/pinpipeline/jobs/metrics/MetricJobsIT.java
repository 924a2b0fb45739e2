package io.pinpipeline.jobs.metrics;

import static io.pinpipeline.jobs.testing.DatasetAssert.assertDatasetEquals;
import static io.pinpipeline.jobs.testing.DatasetAssert.rows;
import static io.pinpipeline.jobs.testing.TestData.row;
import static io.pinpipeline.jobs.testing.TestData.table;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.delta.tables.DeltaTable;
import io.pinpipeline.jobs.batch.BatchStep;
import io.pinpipeline.jobs.catalog.JobCatalog;
import io.pinpipeline.jobs.catalog.JobCatalog.Lane;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.report.JobReport;
import io.pinpipeline.jobs.report.MetricReport;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.testing.LocalLake;
import io.pinpipeline.jobs.testing.TestSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric job of the job list on the silver tables of the real 2,262-post capture, in real Delta tables, each
 * run as its own job would run (reading silver itself).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricJobsIT {
    Lake lake;
    final List<MetricReport> reports = new ArrayList<>();

    @BeforeAll
    void cleanTheCaptureAndRunEveryMetric(@TempDir Path root) {
        LocalLake local = new LocalLake(root);
        lake = local.lake();
        LandingDate date = LandingDate.parse("2024-05-01");
        for (RecordKind kind : RecordKind.values()) {
            local.landCapture(kind, "2024-05-01");
        }
        for (JobCatalog.Job cleaning : JobCatalog.lane(Lane.CLEANING)) {
            BatchStep.of(cleaning).run(lake, date, SilverPosts.read(lake));
        }
        for (JobCatalog.Job metric : JobCatalog.lane(Lane.METRIC)) {
            JobReport report = BatchStep.of(metric).run(lake, date, SilverPosts.read(lake));
            reports.add((MetricReport) report);
        }
    }

    @Test
    void eachMetricReportsItsGoldTableAndTheSilverItRead() {
        assertThat(reports.stream().map(MetricReport::table).toList()).containsExactlyElementsOf(GoldTables.ALL);
        assertThat(reports.get(0).inputs()).containsExactly("pin", "geo");
        MetricReport usersJoined = reports.stream().filter(report -> report.table().equals(UsersJoinedByYear.TABLE))
                .findFirst().orElseThrow();
        assertThat(usersJoined.inputs()).containsExactly("user");
        assertThat(usersJoined.rows()).isEqualTo(3);
    }

    @Test
    void theCapturesMostFollowedCountryIsAnguilla() {
        assertDatasetEquals(table("country STRING, follower_count INT", row("Anguilla", 15_000_000)),
                lake.read(TopCountryByUserFollowers.TABLE));
    }

    @Test
    void theCapturesTopCategoriesByAgeGroup() {
        assertDatasetEquals(table("age_group STRING, category STRING, category_count BIGINT",
                        row("18-24", "tattoos", 99L), row("+50", "vehicles", 24L)),
                lake.read(TopCategoryByAgeGroup.TABLE).filter(col("age_group").isin("18-24", "+50")));
    }

    @Test
    void theCapturesUsersJoinedIn2015To2017() {
        assertDatasetEquals(table("join_year INT, number_users_joined BIGINT",
                        row(2015, 332L), row(2016, 759L), row(2017, 320L)),
                lake.read(UsersJoinedByYear.TABLE));
    }

    @Test
    void everyGoldTableHasTheContractsColumns() {
        assertColumns("country STRING, category STRING, category_count BIGINT", TopCategoryByCountry.TABLE);
        assertColumns("post_year INT, category STRING, category_count BIGINT", TopCategoryByYear.TABLE);
        assertColumns("country STRING, poster_name STRING, follower_count INT", TopUserByCountry.TABLE);
        assertColumns("age_group STRING, median_follower_count DOUBLE", MedianFollowersByAgeGroup.TABLE);
        assertColumns("join_year INT, median_follower_count DOUBLE", MedianFollowersByJoinYear.TABLE);
        assertColumns("age_group STRING, join_year INT, median_follower_count DOUBLE",
                MedianFollowersByAgeGroupAndJoinYear.TABLE);
        assertThat(lake.read(TopCategoryByCountry.TABLE).filter(col("country").isNull()).count()).isZero();
    }

    @Test
    void theCapturesPostYearsAndMedianFollowersByAgeGroup() {
        assertDatasetEquals(table("post_year INT", row(2018), row(2019), row(2020), row(2021), row(2022)),
                lake.read(TopCategoryByYear.TABLE).select("post_year").distinct());
        assertDatasetEquals(table("age_group STRING, median_follower_count DOUBLE",
                        row("18-24", 130_000.0), row("25-35", 23_000.0), row("36-50", 7_000.0), row("+50", 1_000.0)),
                lake.read(MedianFollowersByAgeGroup.TABLE));
    }

    @Test
    void aReRunReplacesTheTableInOneCommitWithTheSameRows() {
        List<String> before = rows(lake.read(TopUserByCountry.TABLE));
        TopUserByCountry.run(lake);
        assertThat(rows(lake.read(TopUserByCountry.TABLE))).isEqualTo(before);
        DeltaTable table = DeltaTable.forPath(TestSpark.session(), lake.table(TopUserByCountry.TABLE).location());
        assertThat(table.history(1).select("operation").first().getString(0)).isEqualTo("WRITE");
        assertThat(table.history().count()).isEqualTo(2);
    }

    /** The gold table's columns, names and types in order: DatasetAssert checks the schema first, and neither side has a row. */
    private void assertColumns(String ddl, String goldTable) {
        assertDatasetEquals(table(ddl), lake.read(goldTable).limit(0));
    }
}
