package io.pinpipeline.toolkit.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipeline.jobs.settings.SettingsException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ToolkitSettingsTest {

    @Test
    void setReachesBothModulesAndAnUnknownKeyIsOneLine() {
        ToolkitSettings settings = ToolkitSettings.load("local", Map.of("home", "/repo", "prefix", "abc",
                "local.gateway-port", "9090", "mwaa.bucket", "my-mwaa"));
        assertThat(settings.jobs().prefix()).isEqualTo("abc");
        assertThat(settings.jobs().lakeRoot()).isEqualTo("/repo/local-data/lake");
        // The toolkit's ${home} is the jobs' home.
        assertThat(settings.local().kafkaData()).isEqualTo("/repo/local-data/kafka");
        assertThat(settings.local().gatewayPort()).isEqualTo(9090);
        assertThat(settings.mwaa().bucket()).contains("my-mwaa");

        assertThatThrownBy(() -> ToolkitSettings.load("local", Map.of("databricks.hots", "x")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("--set: unknown setting 'databricks.hots'");
        assertThatThrownBy(() -> ToolkitSettings.load("local", Map.of("lake.rot", "/x")))
                .hasMessage("--set: unknown setting 'lake.rot'");
        // The DAGs' defaults that the reference reads are not settings.
        assertThatThrownBy(() -> ToolkitSettings.load("local", Map.of("dag-defaults.retries", "5")))
                .hasMessage("--set: unknown setting 'dag-defaults.retries'");
        assertThatThrownBy(() -> ToolkitSettings.load("local", Map.of("local.gateway-port", "70000")))
                .hasMessage("setting local.gateway-port: '70000' is not a port");
        assertThatThrownBy(() -> ToolkitSettings.load("staging", Map.of()))
                .hasMessageStartingWith("--env: unknown environment 'staging'");
        assertThat(ToolkitSettings.isToolkitKey("databricks.cluster.num-workers")).isTrue();
        assertThat(ToolkitSettings.isToolkitKey("kinesis.endpoint")).isFalse();
        assertThat(ToolkitSettings.isToolkitKey("dag-defaults.env")).isFalse();
    }

    @Test
    void deployDefaultsAreTheDagsOwnDeclaredOnce() throws IOException {
        // The toolkit's tests run in its module's folder; the DAGs' defaults are the repository's.
        JsonNode dagDefaults = new ObjectMapper().readTree(Path.of("../dags/pinterest_jobs/defaults.json").toFile());
        ToolkitSettings.Databricks databricks = ToolkitSettings.load("dev", Map.of()).databricks();
        JsonNode newCluster = dagDefaults.path("cluster").path("new_cluster");
        assertThat(databricks.cluster()).isEqualTo(new ToolkitSettings.Cluster(newCluster.path("spark_version").asText(),
                newCluster.path("node_type_id").asText(), newCluster.path("num_workers").asInt(), Optional.empty(),
                Optional.empty()));
        assertThat(databricks.cluster().sparkVersion()).isEqualTo("17.3.x-scala2.13");
        assertThat(databricks.airflowConnId()).isEqualTo(dagDefaults.path("databricks_conn_id").asText());
        assertThat(databricks.pollingPeriodSeconds()).isEqualTo(dagDefaults.path("polling_period_seconds").asInt());
        // The jar the DAGs run when nobody deployed is the one uploaded by hand into deploy's folder.
        String jar = dagDefaults.path("jar").asText();
        assertThat(jar.substring(0, jar.lastIndexOf('/'))).isEqualTo(databricks.jarFolder());
    }

    @Test
    void theLocalRestProxyFailsNoRecordUnlessToldToAndOnlyShares() {
        assertThat(ToolkitSettings.load("local", Map.of()).local().kafkaRestFaults()).isEqualTo(new ToolkitSettings.KafkaRestFaults(0, 0));
        assertThat(ToolkitSettings.load("local", Map.of("local.kafka-rest-faults.retriable", "0.2",
                "local.kafka-rest-faults.not-retriable", "0.01")).local().kafkaRestFaults())
                .isEqualTo(new ToolkitSettings.KafkaRestFaults(0.2, 0.01));
        assertThatThrownBy(() -> ToolkitSettings.load("local", Map.of("local.kafka-rest-faults.retriable", "20%")))
                .hasMessage("setting local.kafka-rest-faults.retriable: '20%' is not a number from 0 to 1");
        assertThatThrownBy(() -> ToolkitSettings.load("local", Map.of("local.kafka-rest-faults.not-retriable", "1.5")))
                .hasMessage("setting local.kafka-rest-faults.not-retriable: '1.5' is not a number from 0 to 1");
        assertThatThrownBy(() -> ToolkitSettings.load("local", Map.of("local.kafka-rest-faults.retriable", "0.7",
                "local.kafka-rest-faults.not-retriable", "0.5")))
                .hasMessage("setting local.kafka-rest-faults.not-retriable: 0.5 and retriable 0.7 add up to more than 1");
    }

    @Test
    void deploySettingsHaveDefaultsAndLocalPointsAtTheLocalDatabricks() {
        ToolkitSettings local = ToolkitSettings.load("local", Map.of());
        assertThat(local.databricks().host()).contains(URI.create("http://127.0.0.1:8089"));
        assertThat(local.databricks().pollingPeriodSeconds()).isEqualTo(2);
        assertThat(local.databricks().jarFolder()).isEqualTo("dbfs:/FileStore/pinterest-pipeline/jars");
        assertThat(local.databricks().airflowConnId()).isEqualTo("databricks_default");
        assertThat(local.databricks().cluster()).isEqualTo(new ToolkitSettings.Cluster("17.3.x-scala2.13", "m5d.large", 2,
                Optional.empty(), Optional.empty()));
        assertThat(local.mwaa()).isEqualTo(new ToolkitSettings.Mwaa(Optional.empty(), "us-east-1", "dags",
                "requirements.txt", Optional.empty()));

        ToolkitSettings set = ToolkitSettings.load("dev", Map.of("databricks.jar-folder", "/Volumes/main/pinterest/artifacts/jars/",
                "databricks.cluster.instance-pool-id", "pool-1", "databricks.cluster.num-workers", "0",
                "mwaa.bucket", "my-mwaa", "mwaa.dags-prefix", "/dags/", "mwaa.s3-endpoint", "http://127.0.0.1:9000/"));
        assertThat(set.databricks().jarFolder()).isEqualTo("/Volumes/main/pinterest/artifacts/jars");
        assertThat(set.databricks().cluster().instancePoolId()).contains("pool-1");
        assertThat(set.databricks().cluster().numWorkers()).isZero();
        assertThat(set.mwaa().bucket()).contains("my-mwaa");
        assertThat(set.mwaa().dagsPrefix()).isEqualTo("dags");
        assertThat(set.mwaa().s3Endpoint()).contains(URI.create("http://127.0.0.1:9000"));
    }

    @Test
    void badDeploySettingsFailWithOneLineNamingTheKey() {
        assertThatThrownBy(() -> ToolkitSettings.load("local", Map.of("databricks.jar-folder", "s3://b/jars")))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("setting databricks.jar-folder: 's3://b/jars' is neither a DBFS folder");
        assertThatThrownBy(() -> ToolkitSettings.load("local", Map.of("databricks.cluster.num-workers", "-1")))
                .hasMessage("setting databricks.cluster.num-workers: '-1' is not a whole number >= 0");
        assertThatThrownBy(() -> ToolkitSettings.load("local", Map.of("databricks.polling-period-seconds", "0")))
                .hasMessage("setting databricks.polling-period-seconds: '0' is not a positive whole number");
        assertThatThrownBy(() -> ToolkitSettings.load("local", Map.of("databricks.host", "dbc-1.cloud.databricks.com")))
                .hasMessage("setting databricks.host: 'dbc-1.cloud.databricks.com' is not an http(s) URL");
        assertThatThrownBy(() -> ToolkitSettings.load("local", Map.of("databricks.cluster.instance-pool-id", "p",
                "databricks.cluster.existing-cluster-id", "c")))
                .hasMessageStartingWith("setting databricks.cluster.existing-cluster-id: an existing cluster has no instance pool");
        assertThatThrownBy(() -> ToolkitSettings.load("local", Map.of("mwaa.bucket", "My_Bucket")))
                .hasMessage("setting mwaa.bucket: 'My_Bucket' is not an S3 bucket name");
        assertThatThrownBy(() -> ToolkitSettings.load("local", Map.of("mwaa.s3-endpoint", "127.0.0.1:9000")))
                .hasMessage("setting mwaa.s3-endpoint: '127.0.0.1:9000' is not an http(s) URL");
        assertThatThrownBy(() -> ToolkitSettings.load("local", Map.of("mwaa.dags-prefix", "/")))
                .hasMessage("setting mwaa.dags-prefix is empty");
    }

}
