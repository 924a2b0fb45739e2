package io.pinpipeline.jobs.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pinpipeline.jobs.batch.BatchStep;
import io.pinpipeline.jobs.batch.CleanPins;
import io.pinpipeline.jobs.catalog.JobCatalog.Lane;
import io.pinpipeline.jobs.metrics.GoldTables;
import io.pinpipeline.jobs.metrics.UsersJoinedByYear;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.jobs.settings.SettingsException;
import io.pinpipeline.jobs.stream.StreamGeo;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The job list as the jar reads it (dags/pinterest_jobs/jobs.json, copied into the jar by the build). */
class JobCatalogTest {
    @Test
    void theBatchLaneIsTheCleaningJobsThenTheNineMetricsInTheDagsOrder() {
        assertThat(JobCatalog.lane(Lane.CLEANING).stream().map(JobCatalog.Job::name))
                .containsExactly("CleanPins", "CleanGeo", "CleanUsers");
        assertThat(GoldTables.ALL).containsExactly("top_category_by_country", "top_category_by_year",
                "top_user_by_country", "top_country_by_user_followers", "top_category_by_age_group",
                "median_followers_by_age_group", "users_joined_by_year", "median_followers_by_join_year",
                "median_followers_by_age_group_and_join_year");
        assertThat(JobCatalog.lane(Lane.STREAMING).stream().map(JobCatalog.Job::mainClass).toList())
                .containsExactly(io.pinpipeline.jobs.stream.StreamPins.class, StreamGeo.class,
                        io.pinpipeline.jobs.stream.StreamUsers.class);
    }

    @Test
    void aJobIsFoundByItsMainClassWithItsTaskIdAndTables() {
        assertThat(JobCatalog.job(CleanPins.class)).isEqualTo(new JobCatalog.Job("io.pinpipeline.jobs.batch.CleanPins",
                Lane.CLEANING, "clean_pins", java.util.List.of(), java.util.List.of("pin", "quarantine")));
        JobCatalog.Job usersJoined = JobCatalog.job(UsersJoinedByYear.class);
        assertThat(usersJoined.reads()).containsExactly("user");
        assertThat(usersJoined.goldTable()).isEqualTo(UsersJoinedByYear.TABLE).isEqualTo("users_joined_by_year");
        assertThatThrownBy(() -> JobCatalog.job(JobCatalogTest.class))
                .hasMessage("io.pinpipeline.jobs.catalog.JobCatalogTest is not in jobs.json");
    }

    @Test
    void theSettingsAcceptATableLocationForEveryTableOfTheListAndNoOther() {
        assertThat(JobCatalog.tables()).containsExactly("pin", "quarantine", "geo", "user", "top_category_by_country",
                "top_category_by_year", "top_user_by_country", "top_country_by_user_followers",
                "top_category_by_age_group", "median_followers_by_age_group", "users_joined_by_year",
                "median_followers_by_join_year", "median_followers_by_age_group_and_join_year");
        Settings settings = Settings.load("local", Map.of("tables.users_joined_by_year", "main.gold.joined"));
        assertThat(settings.tableLocation("users_joined_by_year")).isEqualTo("main.gold.joined");
        assertThat(settings.tableLocation("top_user_by_country")).isEmpty();
        assertThatThrownBy(() -> Settings.load("local", Map.of("tables.users_joined_by_month", "x")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("--set: unknown setting 'tables.users_joined_by_month'");
    }

    @Test
    void onlyBatchLaneJobsAreBatchSteps() {
        assertThatThrownBy(() -> BatchStep.of(JobCatalog.job(StreamGeo.class)))
                .hasMessage("StreamGeo is a STREAMING job, not a step of the batch lane");
    }
}
