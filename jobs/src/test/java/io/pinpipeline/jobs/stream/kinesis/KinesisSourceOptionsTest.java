package io.pinpipeline.jobs.stream.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KinesisSourceOptionsTest {
    @Test
    void defaultsNeedOnlyAStreamName() {
        KinesisSourceOptions options = KinesisSourceOptions.parse(Map.of("streamName", "streaming-p-pin"));

        assertThat(options.streamName()).isEqualTo("streaming-p-pin");
        assertThat(options.region()).isEmpty();
        assertThat(options.endpointUrl()).isEmpty();
        assertThat(options.initialPosition()).isEqualTo(KinesisSourceOptions.InitialPosition.TRIM_HORIZON);
        assertThat(options.boundedBatches()).isFalse();
        assertThat(options.recordsPerRequest()).isEqualTo(10_000);
    }

    @Test
    void optionNamesAreCaseInsensitive() {
        KinesisSourceOptions options = KinesisSourceOptions.parse(Map.of("STREAMNAME", "s", "region", "eu-west-1",
                "endpointurl", "http://127.0.0.1:4568", "initialPosition", "latest", "maxRecordsPerShardPerBatch", "500"));

        assertThat(options.region()).contains("eu-west-1");
        assertThat(options.endpointUrl()).contains(URI.create("http://127.0.0.1:4568"));
        assertThat(options.initialPosition()).isEqualTo(KinesisSourceOptions.InitialPosition.LATEST);
        assertThat(options.maxRecordsPerShardPerBatch()).isEqualTo(500);
    }

    @Test
    void aBadOptionFailsNamingIt() {
        assertThatThrownBy(() -> KinesisSourceOptions.parse(Map.of()))
                .hasMessage(KinesisSourceProvider.FORMAT + " option streamName: '' is required");
        assertThatThrownBy(() -> KinesisSourceOptions.parse(Map.of("streamName", "s", "initialPosition", "EARLIEST")))
                .hasMessage(KinesisSourceProvider.FORMAT + " option initialPosition: 'EARLIEST' is not TRIM_HORIZON or LATEST");
        assertThatThrownBy(() -> KinesisSourceOptions.parse(Map.of("streamName", "s", "maxRecordsPerShardPerBatch", "0")))
                .hasMessageContaining("maxRecordsPerShardPerBatch: '0' is not a whole number from 1 to");
        assertThatThrownBy(() -> KinesisSourceOptions.parse(Map.of("streamName", "s", "recordsPerRequest", "10001")))
                .hasMessage(KinesisSourceProvider.FORMAT + " option recordsPerRequest: '10001' is not a whole number from 1 to 10000");
        assertThatThrownBy(() -> KinesisSourceOptions.parse(Map.of("streamName", "s", "endpointUrl", "127.0.0.1:4568")))
                .hasMessageContaining("is not an http(s) URL");
        assertThatThrownBy(() -> KinesisSourceOptions.parse(Map.of("streamName", "s", "startingPosition", "LATEST")))
                .hasMessageStartingWith(KinesisSourceProvider.FORMAT + ": unknown option 'startingPosition'");
    }

    @Test
    void onlyLoopbackEndpointsCountAsLocal() {
        assertThat(endpoint("http://127.0.0.1:4568").endpointIsLoopback()).isTrue();
        assertThat(endpoint("http://localhost:4568").endpointIsLoopback()).isTrue();
        assertThat(endpoint("http://[::1]:4568").endpointIsLoopback()).isTrue();
        assertThat(endpoint("https://kinesis.us-east-1.amazonaws.com").endpointIsLoopback()).isFalse();
        assertThat(endpoint("http://10.0.0.5:4568").endpointIsLoopback()).isFalse();
        assertThat(endpoint("http://127.0.0.1.example.com:4568").endpointIsLoopback()).isFalse();
        assertThat(KinesisSourceOptions.parse(Map.of("streamName", "s")).endpointIsLoopback()).isFalse();
    }

    private static KinesisSourceOptions endpoint(String url) {
        return KinesisSourceOptions.parse(Map.of("streamName", "s", "endpointUrl", url));
    }
}
