package io.pinpipeline.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InfraSettingsTest {
    private static final Map<String, String> ZIP = Map.of("infra.msk-connect.plugin-zip", Synthesized.pluginZip().toString());

    @Test
    void names_come_from_the_projects_prefix_and_sizes_from_the_environment() {
        InfraSettings dev = InfraSettings.load("dev", Synthesized.HOME, ZIP);
        assertThat(dev.topic("pin")).isEqualTo("0a1b2c3d4e5f.pin");
        assertThat(dev.stream("user")).isEqualTo("streaming-0a1b2c3d4e5f-user");
        assertThat(dev.stackName("network")).isEqualTo("pinterest-pipeline-dev-network");
        assertThat(dev.kinesis().onDemand()).isFalse();
        assertThat(dev.mwaa().airflowVersion()).isEqualTo("3.3.1");
        InfraSettings prod = InfraSettings.load("prod", Synthesized.HOME, ZIP);
        assertThat(prod.kinesis().onDemand()).isTrue();
        assertThat(prod.network().natGateways()).isEqualTo(2);
    }

    @Test
    void a_bad_or_missing_setting_is_named() {
        assertThatThrownBy(() -> InfraSettings.load("dev", Synthesized.HOME, Map.of()))
                .hasMessageContaining("infra.msk-connect.plugin-zip is empty");
        Map<String, String> badMode = new java.util.HashMap<>(ZIP);
        badMode.put("infra.kinesis.stream-mode", "SOMETIMES");
        assertThatThrownBy(() -> InfraSettings.load("dev", Synthesized.HOME, badMode))
                .hasMessageContaining("infra.kinesis.stream-mode");
        assertThatThrownBy(() -> InfraSettings.load("dev", Synthesized.HOME, Map.of("infra.no-such", "1")))
                .hasMessageContaining("unknown setting 'infra.no-such'");
        assertThatThrownBy(() -> InfraSettings.load("local", Synthesized.HOME, ZIP)).hasMessageContaining("--env");
    }
}
