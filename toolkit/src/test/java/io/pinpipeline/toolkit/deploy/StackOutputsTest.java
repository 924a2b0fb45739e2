package io.pinpipeline.toolkit.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipeline.toolkit.settings.ToolkitSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cdk deploy's outputs file, as ./pipeline deploy --outputs reads it, onto settings and the DAGs' job clusters. */
class StackOutputsTest {
    /** What `cdk deploy --all --outputs-file` writes for the pipeline's stacks (values as AWS would give them). */
    private static final String OUTPUTS = """
            {
              "pinterest-pipeline-dev-storage": {
                "LandingBucketName": "pinterest-pipeline-dev-landing-123456789012-us-east-1",
                "LakeBucketName": "pinterest-pipeline-dev-lake-123456789012-us-east-1",
                "MwaaBucketName": "pinterest-pipeline-dev-mwaa-123456789012-us-east-1"
              },
              "pinterest-pipeline-dev-streaming": {
                "MskBootstrapServers": "b-1.kafka.abc.c2.kafka.us-east-1.amazonaws.com:9098,b-2.kafka.abc.c2.kafka.us-east-1.amazonaws.com:9098",
                "PinStreamName": "streaming-0a1b2c3d4e5f-pin"
              },
              "pinterest-pipeline-dev-api": {
                "ApiInvokeUrl": "https://abc123.execute-api.us-east-1.amazonaws.com/dev/"
              },
              "pinterest-pipeline-dev-databricks-access": {
                "DatabricksInstanceProfileArn": "arn:aws:iam::123456789012:instance-profile/pinterest-dev-databricks"
              }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void the_outputs_name_the_buckets_and_the_kafka_servers_of_the_settings() throws Exception {
        StackOutputs outputs = StackOutputs.read(write(OUTPUTS));
        assertThat(outputs.settings()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "landing.root", "s3://pinterest-pipeline-dev-landing-123456789012-us-east-1",
                "lake.root", "s3://pinterest-pipeline-dev-lake-123456789012-us-east-1",
                "mwaa.bucket", "pinterest-pipeline-dev-mwaa-123456789012-us-east-1",
                "kafka.bootstrap-servers", "b-1.kafka.abc.c2.kafka.us-east-1.amazonaws.com:9098,"
                        + "b-2.kafka.abc.c2.kafka.us-east-1.amazonaws.com:9098"));
        ToolkitSettings settings = ToolkitSettings.load("dev", outputs.settings());
        assertThat(settings.jobs().landingRoot()).isEqualTo("s3://pinterest-pipeline-dev-landing-123456789012-us-east-1");
        assertThat(settings.mwaa().bucket()).contains("pinterest-pipeline-dev-mwaa-123456789012-us-east-1");
    }

    @Test
    void the_job_clusters_get_the_instance_profile_and_the_settings_as_the_variables_conf_reads() throws Exception {
        StackOutputs outputs = StackOutputs.read(write(OUTPUTS));
        Map<String, String> overrides = new HashMap<>(outputs.settings());
        overrides.put("lake.root", "s3://my-own-lake");  // --set wins over the outputs
        JsonNode file = new ObjectMapper().readTree(DagSettings.dagSettingsJson(ToolkitSettings.load("dev", overrides),
                "dbfs:/FileStore/j.jar", outputs));
        JsonNode cluster = file.at("/cluster/new_cluster");
        assertThat(cluster.at("/aws_attributes/instance_profile_arn").asText())
                .isEqualTo("arn:aws:iam::123456789012:instance-profile/pinterest-dev-databricks");
        assertThat(new ObjectMapper().convertValue(cluster.path("spark_env_vars"), Map.class)).isEqualTo(Map.of(
                "PIPELINE_PREFIX", "0a1b2c3d4e5f",
                "PIPELINE_LANDING_ROOT", "s3://pinterest-pipeline-dev-landing-123456789012-us-east-1",
                "PIPELINE_LAKE_ROOT", "s3://my-own-lake",
                "PIPELINE_KAFKA_BOOTSTRAP_SERVERS", "b-1.kafka.abc.c2.kafka.us-east-1.amazonaws.com:9098,"
                        + "b-2.kafka.abc.c2.kafka.us-east-1.amazonaws.com:9098"));
    }

    @Test
    void a_file_that_is_not_the_pipelines_outputs_is_refused() throws Exception {
        assertThatThrownBy(() -> StackOutputs.read(write("{\"other-stack\": {\"Url\": \"x\"}}")))
                .hasMessageContaining("no MwaaBucketName");
        assertThatThrownBy(() -> StackOutputs.read(write("not json"))).hasMessageContaining("cannot read");
    }

    private Path write(String text) throws Exception {
        Path file = dir.resolve("cdk-outputs.json");
        Files.writeString(file, text);
        return file;
    }
}
