package io.pinpipeline.jobs.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void argumentsHaveDefaultsAndRepeatableOverrides() {
        JobArgs args = JobArgs.parse(new String[] {"--date", "2024-05-01", "--set", "prefix=abc", "--set", "lake.root=/x=y"});
        assertThat(args.env()).isEqualTo("local");
        assertThat(args.requiredDate()).isEqualTo(LandingDate.of(LocalDate.of(2024, 5, 1)));
        assertThat(args.overrides()).containsExactly(Map.entry("prefix", "abc"), Map.entry("lake.root", "/x=y"));
        assertThat(JobArgs.parse(new String[] {"--date", "all"}).requiredDate().isAll()).isTrue();
        assertThat(JobArgs.parse(new String[] {"--trigger", "available-now"}, List.of("trigger")).options())
                .containsExactly(Map.entry("trigger", "available-now"));
    }

    @Test
    void badArgumentsFailWithOneLineNamingThem() {
        assertOneLineError(new String[] {"--date", "2024-13-01"}, "--date: '2024-13-01' is not a calendar day");
        assertOneLineError(new String[] {"--date", "2023-02-29"}, "--date: '2023-02-29' is not a calendar day");
        assertOneLineError(new String[] {"--date", "../../etc"}, "--date: '../../etc' is not YYYY-MM-DD or all");
        assertOneLineError(new String[] {"--date", "2024-5-1"}, "--date: '2024-5-1' is not YYYY-MM-DD or all");
        assertOneLineError(new String[] {"--date"}, "--date needs a value");
        assertOneLineError(new String[] {"--env", "../prod"}, "--env: '../prod' is not an environment name");
        assertOneLineError(new String[] {"--set", "novalue"}, "--set: 'novalue' is not key=value");
        assertOneLineError(new String[] {"--colour", "red"}, "unknown argument '--colour'");
        assertOneLineError(new String[] {"2024-05-01"}, "unknown argument '2024-05-01'");
        assertThatThrownBy(() -> JobArgs.parse(new String[] {}).requiredDate())
                .hasMessage("--date is required (YYYY-MM-DD or all)");
    }

    @Test
    void localSettingsLiveUnderTheRepositoryHome() {
        Settings settings = Settings.load("local", Map.of("home", "/repo"));
        assertThat(settings.prefix()).isEqualTo("0a1b2c3d4e5f");
        assertThat(settings.landingRoot()).isEqualTo("/repo/local-data/landing");
        assertThat(settings.lakeRoot()).isEqualTo("/repo/local-data/lake");
        assertThat(settings.tableLocation("pin")).isEmpty();
    }

    @Test
    void devAndProdPointAtS3() {
        assertThat(Settings.load("dev", Map.of()).landingRoot()).isEqualTo("s3://pinterest-pipeline-dev-landing");
        assertThat(Settings.load("prod", Map.of()).lakeRoot()).isEqualTo("s3://pinterest-pipeline-prod-lake");
    }

    @Test
    void overridesWinAndTrailingSlashesGo() {
        Settings settings = Settings.load("dev", Map.of("lake.root", "s3://b/lake/", "tables.pin", "main.pinterest.pin"));
        assertThat(settings.lakeRoot()).isEqualTo("s3://b/lake");
        assertThat(settings.tableLocation("pin")).isEqualTo("main.pinterest.pin");
    }

    @Test
    void badSettingsFailWithOneLineNamingTheKey() {
        assertThatThrownBy(() -> Settings.load("staging", Map.of()))
                .isInstanceOf(SettingsException.class)
                .hasMessage("--env: unknown environment 'staging' (no conf/staging.conf in the jar; shipped: local, dev, prod)");
        assertThatThrownBy(() -> Settings.load("local", Map.of("lake.rot", "/x")))
                .hasMessage("--set: unknown setting 'lake.rot'");
        assertThatThrownBy(() -> Settings.load("local", Map.of("tables", "/x")))
                .hasMessage("--set: unknown setting 'tables'");
        assertThatThrownBy(() -> Settings.load("local", Map.of("prefix", "a b")))
                .hasMessage("setting prefix: 'a b' does not match [A-Za-z0-9][A-Za-z0-9_-]*");
        assertThatThrownBy(() -> Settings.load("local", Map.of("landing.root", " ")))
                .hasMessage("setting landing.root is empty");
        assertThatThrownBy(() -> Settings.load("local", Map.of()).tableLocation("pins"))
                .hasMessageStartingWith("no setting tables.pins");
    }

    @Test
    void theLocalRestProxyFailsNoRecordUnlessToldToAndOnlyShares() {
        assertThat(Settings.load("local", Map.of()).localKafkaRestFaults()).isEqualTo(new Settings.KafkaRestFaults(0, 0));
        assertThat(Settings.load("local", Map.of("local.kafka-rest-faults.retriable", "0.2",
                "local.kafka-rest-faults.not-retriable", "0.01")).localKafkaRestFaults())
                .isEqualTo(new Settings.KafkaRestFaults(0.2, 0.01));
        assertThatThrownBy(() -> Settings.load("local", Map.of("local.kafka-rest-faults.retriable", "20%")))
                .hasMessage("setting local.kafka-rest-faults.retriable: '20%' is not a number from 0 to 1");
        assertThatThrownBy(() -> Settings.load("local", Map.of("local.kafka-rest-faults.not-retriable", "1.5")))
                .hasMessage("setting local.kafka-rest-faults.not-retriable: '1.5' is not a number from 0 to 1");
        assertThatThrownBy(() -> Settings.load("local", Map.of("local.kafka-rest-faults.retriable", "0.7",
                "local.kafka-rest-faults.not-retriable", "0.5")))
                .hasMessage("setting local.kafka-rest-faults.not-retriable: 0.5 and retriable 0.7 add up to more than 1");
    }

    @Test
    void deploySettingsHaveDefaultsAndLocalPointsAtTheLocalDatabricks() {
        Settings local = Settings.load("local", Map.of());
        assertThat(local.databricks().host()).contains(java.net.URI.create("http://127.0.0.1:8089"));
        assertThat(local.databricks().pollingPeriodSeconds()).isEqualTo(2);
        assertThat(local.databricks().jarFolder()).isEqualTo("dbfs:/FileStore/pinterest-pipeline/jars");
        assertThat(local.databricks().airflowConnId()).isEqualTo("databricks_default");
        assertThat(local.databricks().cluster()).isEqualTo(new Settings.Cluster("17.3.x-scala2.13", "m5d.large", 2,
                java.util.Optional.empty(), java.util.Optional.empty()));
        assertThat(local.mwaa()).isEqualTo(new Settings.Mwaa(java.util.Optional.empty(), "us-east-1", "dags",
                "requirements.txt", java.util.Optional.empty()));

        Settings set = Settings.load("dev", Map.of("databricks.jar-folder", "/Volumes/main/pinterest/artifacts/jars/",
                "databricks.cluster.instance-pool-id", "pool-1", "databricks.cluster.num-workers", "0",
                "mwaa.bucket", "my-mwaa", "mwaa.dags-prefix", "/dags/", "mwaa.s3-endpoint", "http://127.0.0.1:9000/"));
        assertThat(set.databricks().jarFolder()).isEqualTo("/Volumes/main/pinterest/artifacts/jars");
        assertThat(set.databricks().cluster().instancePoolId()).contains("pool-1");
        assertThat(set.databricks().cluster().numWorkers()).isZero();
        assertThat(set.mwaa().bucket()).contains("my-mwaa");
        assertThat(set.mwaa().dagsPrefix()).isEqualTo("dags");
        assertThat(set.mwaa().s3Endpoint()).contains(java.net.URI.create("http://127.0.0.1:9000"));
    }

    @Test
    void badDeploySettingsFailWithOneLineNamingTheKey() {
        assertThatThrownBy(() -> Settings.load("local", Map.of("databricks.jar-folder", "s3://b/jars")))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("setting databricks.jar-folder: 's3://b/jars' is neither a DBFS folder");
        assertThatThrownBy(() -> Settings.load("local", Map.of("databricks.cluster.num-workers", "-1")))
                .hasMessage("setting databricks.cluster.num-workers: '-1' is not a whole number >= 0");
        assertThatThrownBy(() -> Settings.load("local", Map.of("databricks.polling-period-seconds", "0")))
                .hasMessage("setting databricks.polling-period-seconds: '0' is not a positive whole number");
        assertThatThrownBy(() -> Settings.load("local", Map.of("databricks.host", "dbc-1.cloud.databricks.com")))
                .hasMessage("setting databricks.host: 'dbc-1.cloud.databricks.com' is not an http(s) URL");
        assertThatThrownBy(() -> Settings.load("local", Map.of("databricks.cluster.instance-pool-id", "p",
                "databricks.cluster.existing-cluster-id", "c")))
                .hasMessageStartingWith("setting databricks.cluster.existing-cluster-id: an existing cluster has no instance pool");
        assertThatThrownBy(() -> Settings.load("local", Map.of("mwaa.bucket", "My_Bucket")))
                .hasMessage("setting mwaa.bucket: 'My_Bucket' is not an S3 bucket name");
        assertThatThrownBy(() -> Settings.load("local", Map.of("mwaa.s3-endpoint", "127.0.0.1:9000")))
                .hasMessage("setting mwaa.s3-endpoint: '127.0.0.1:9000' is not an http(s) URL");
        assertThatThrownBy(() -> Settings.load("local", Map.of("mwaa.dags-prefix", "/")))
                .hasMessage("setting mwaa.dags-prefix is empty");
    }

    private static void assertOneLineError(String[] args, String message) {
        assertThatThrownBy(() -> JobArgs.parse(args))
                .isInstanceOf(SettingsException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
