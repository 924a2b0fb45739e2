package io.pinpipeline.toolkit.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KinesisProxyHandlerTest {

    @Test
    void theStreamComesFromThePathBelowTheMountPoint() {
        assertThat(KinesisProxyHandler.stream("/streams/", "/streams/streaming-p-pin/record")).hasValue("streaming-p-pin");
        assertThat(KinesisProxyHandler.stream("/streams", "/streams/streaming-p-pin/record")).hasValue("streaming-p-pin");
        assertThat(KinesisProxyHandler.stream("/", "/streams/streaming-p-geo/record")).hasValue("streaming-p-geo");
        assertThat(KinesisProxyHandler.stream("/prod/", "/prod/streams/streaming-p-user/record")).hasValue("streaming-p-user");
    }

    @Test
    void otherPathsAreNoRoute() {
        assertThat(KinesisProxyHandler.stream("/streams/", "/streams/streaming-p-pin/records")).isEmpty();
        assertThat(KinesisProxyHandler.stream("/streams/", "/streams/streaming-p-pin")).isEmpty();
        assertThat(KinesisProxyHandler.stream("/streams/", "/streams/a/b/record")).isEmpty();
        assertThat(KinesisProxyHandler.stream("/", "/topics/p.pin")).isEmpty();
        assertThat(KinesisProxyHandler.stream("/prod/", "/dev/streams/s/record")).isEmpty();
    }

    @Test
    void anObjectsDataIsItsTextAsSentSpacingNumbersAndEscapesKept() throws Exception {
        String record = "{\"b\": 1.50, \"a\": \"caf\u00e9 \\u00e9\", \"c\": [1, {\"d\": null}]}";
        String body = "{\"StreamName\": \"ignored\", \"Data\": " + record + " , \"PartitionKey\": \"7\"}";

        KinesisProxyHandler.Put put = KinesisProxyHandler.parse(body.getBytes(StandardCharsets.UTF_8));

        assertThat(put.data()).isEqualTo(record.getBytes(StandardCharsets.UTF_8));
        assertThat(put.partitionKey()).isEqualTo("7");
    }

    @Test
    void aStringsDataIsItsValue() throws Exception {
        String body = "{\"Data\": \"{\\\"ind\\\": 7}\", \"PartitionKey\": \"7\"}";

        assertThat(KinesisProxyHandler.parse(body.getBytes(StandardCharsets.UTF_8)).data())
                .isEqualTo("{\"ind\": 7}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBodyWithoutDataOrKeyOrNotOneJsonObjectIsABadRequest() {
        assertBad("not json", "not JSON");
        assertBad("[1]", "not a JSON object");
        assertBad("{\"PartitionKey\": \"7\"}", "no Data");
        assertBad("{\"Data\": null, \"PartitionKey\": \"7\"}", "Data is VALUE_NULL");
        assertBad("{\"Data\": {}}", "no PartitionKey");
        assertBad("{\"Data\": {}, \"PartitionKey\": 7}", "PartitionKey is not a string");
        assertBad("{\"Data\": {}, \"PartitionKey\": \"7\"} {}", "more after");
    }

    private static void assertBad(String body, String message) {
        assertThatThrownBy(() -> KinesisProxyHandler.parse(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(KinesisProxyHandler.BadRequest.class)
                .hasMessageContaining(message);
    }
}
