package io.pinpipeline.jobs.metrics;

import static io.pinpipeline.jobs.testing.DatasetAssert.assertDatasetEquals;
import static io.pinpipeline.jobs.testing.DatasetAssert.rows;
import static io.pinpipeline.jobs.testing.TestData.row;
import static io.pinpipeline.jobs.testing.TestData.table;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.delta.tables.DeltaTable;
import io.pinpipeline.jobs.batch.CleanGeo;
import io.pinpipeline.jobs.batch.CleanPins;
import io.pinpipeline.jobs.batch.CleanUsers;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.testing.LocalLake;
import io.pinpipeline.jobs.testing.TestSpark;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The nine metric jobs on the silver tables of the real 2,262-post capture, in real Delta tables. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricJobsIT {
    Lake lake;

    @BeforeAll
    void cleanTheCapture(@TempDir Path root) {
        LocalLake local = new LocalLake(root);
        lake = local.lake();
        LandingDate date = LandingDate.parse("2024-05-01");
        for (RecordKind kind : RecordKind.values()) {
            local.landCapture(kind, "2024-05-01");
        }
        CleanPins.run(lake, date);
        CleanGeo.run(lake, date);
        CleanUsers.run(lake, date);
        for (var job : List.<java.util.function.Function<Lake, MetricRun.Report>>of(
                TopCategoryByCountry::run, TopCategoryByYear::run, TopUserByCountry::run,
                TopCountryByUserFollowers::run, TopCategoryByAgeGroup::run, MedianFollowersByAgeGroup::run,
                UsersJoinedByYear::run, MedianFollowersByJoinYear::run, MedianFollowersByAgeGroupAndJoinYear::run)) {
            job.apply(lake);
        }
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
        assertThat(lake.read(UsersJoinedByYear.TABLE).orderBy("join_year").select("join_year").collectAsList()
                .stream().map(r -> r.getInt(0)).toList()).containsExactly(2015, 2016, 2017);
    }

    @Test
    void everyGoldTableHasTheContractsColumnsAndRows() {
        assertThat(schema(TopCategoryByCountry.TABLE)).isEqualTo("country:string,category:string,category_count:bigint");
        assertThat(schema(TopCategoryByYear.TABLE)).isEqualTo("post_year:int,category:string,category_count:bigint");
        assertThat(schema(TopUserByCountry.TABLE)).isEqualTo("country:string,poster_name:string,follower_count:int");
        assertThat(schema(MedianFollowersByAgeGroup.TABLE)).isEqualTo("age_group:string,median_follower_count:double");
        assertThat(schema(MedianFollowersByJoinYear.TABLE)).isEqualTo("join_year:int,median_follower_count:double");
        assertThat(schema(MedianFollowersByAgeGroupAndJoinYear.TABLE))
                .isEqualTo("age_group:string,join_year:int,median_follower_count:double");
        assertThat(lake.read(TopCategoryByYear.TABLE).select("post_year").distinct().orderBy("post_year")
                .collectAsList().stream().map(r -> r.getInt(0)).toList())
                .containsExactly(2018, 2019, 2020, 2021, 2022);
        assertThat(lake.read(MedianFollowersByAgeGroup.TABLE).select("age_group").collectAsList().stream()
                .map(r -> r.getString(0)).sorted().toList()).containsExactly("+50", "18-24", "25-35", "36-50");
        assertThat(lake.read(TopCategoryByCountry.TABLE).filter(col("country").isNull()).count()).isZero();
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

    private String schema(String table) {
        return String.join(",", java.util.Arrays.stream(lake.read(table).schema().fields())
                .map(field -> field.name() + ":" + field.dataType().simpleString()).toList());
    }
}
