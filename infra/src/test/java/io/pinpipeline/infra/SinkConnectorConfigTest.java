package io.pinpipeline.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SinkConnectorConfigTest {
    @Test
    void the_placeholders_are_filled_in_and_the_region_is_the_stacks() {
        Map<String, String> config = SinkConnectorConfig.connectorConfig(Map.of(
                "topics.regex", "<prefix>\\.(pin|geo|user)", "s3.bucket.name", "<landing bucket>", "s3.region", "us-east-1",
                "flush.size", "10000"), "abc", "my-bucket", "eu-west-1");
        assertThat(config).containsExactlyInAnyOrderEntriesOf(Map.of("topics.regex", "abc\\.(pin|geo|user)",
                "s3.bucket.name", "my-bucket", "s3.region", "eu-west-1", "flush.size", "10000"));
    }

    @Test
    void a_placeholder_the_app_does_not_know_fails() {
        assertThatThrownBy(() -> SinkConnectorConfig.connectorConfig(Map.of("s3.bucket.name", "<landing bucket>",
                "aws.access.key.id", "<access key>"), "abc", "b", "us-east-1"))
                .hasMessageContaining("aws.access.key.id").hasMessageContaining("<access key>");
    }

    @Test
    void the_worker_configuration_takes_the_converters_of_the_file() {
        assertThat(SinkConnectorConfig.workerProperties(Map.of("key.converter", "K", "value.converter", "V",
                "value.converter.schemas.enable", "false", "flush.size", "1")))
                .isEqualTo("key.converter=K\nvalue.converter=V\nvalue.converter.schemas.enable=false\n");
    }
}
