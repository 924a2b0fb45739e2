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
    void theToolkitsKeysAreNotTheJobs() {
        // Deploy's and the local servers' settings belong to the toolkit, which layers them on top: a job neither
        // reads nor checks them, so a bad deploy setting can never stop a job on a cluster.
        assertThatThrownBy(() -> Settings.load("dev", Map.of("mwaa.bucket", "My_Bucket")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("--set: unknown setting 'mwaa.bucket'");
        assertThatThrownBy(() -> Settings.load("local", Map.of("local.gateway-port", "8082")))
                .hasMessage("--set: unknown setting 'local.gateway-port'");
        assertThatThrownBy(() -> Settings.load("local", Map.of("databricks.host", "http://127.0.0.1:8089")))
                .hasMessage("--set: unknown setting 'databricks.host'");
    }

    @Test
    void urlsAreHttpWithAHostAndLoseATrailingSlash() {
        assertThat(SettingValues.httpUrl("http://127.0.0.1:4568/")).contains(java.net.URI.create("http://127.0.0.1:4568"));
        assertThat(SettingValues.httpUrl("https://dbc-1.cloud.databricks.com"))
                .contains(java.net.URI.create("https://dbc-1.cloud.databricks.com"));
        assertThat(SettingValues.httpUrl("127.0.0.1:4568")).isEmpty();
        assertThat(SettingValues.httpUrl("ftp://host/x")).isEmpty();
        assertThat(SettingValues.httpUrl("http:///path")).isEmpty();
        assertThat(SettingValues.httpUrl("http://a b")).isEmpty();
        assertThatThrownBy(() -> Settings.load("local", Map.of("kinesis.endpoint", "localhost:4568")))
                .hasMessage("setting kinesis.endpoint: 'localhost:4568' is not an http(s) URL");
        assertThat(Settings.load("local", Map.of("kinesis.endpoint", "")).kinesis().endpoint()).isEmpty();
    }

    private static void assertOneLineError(String[] args, String message) {
        assertThatThrownBy(() -> JobArgs.parse(args))
                .isInstanceOf(SettingsException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
