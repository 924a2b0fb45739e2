package io.pinpipeline.toolkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pinpipeline.jobs.records.RecordKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

class KinesisSinkTest {
    private static final String STREAM = "streaming-test-pin";

    @Test
    void aCallHoldsAtMost500Records() {
        List<Post> posts = LongStream.range(0, 1_200).mapToObj(ind -> post(ind, "{\"index\":" + ind + "}")).toList();

        List<List<PutRecordsRequestEntry>> calls = KinesisSink.calls(posts, RecordKind.PIN, STREAM);

        assertThat(calls).extracting(List::size).containsExactly(500, 500, 200);
        assertThat(calls.get(2).get(199).partitionKey()).isEqualTo("1199");
        assertThat(calls.get(2).get(199).data().asUtf8String()).isEqualTo("{\"index\":1199}");
    }

    @Test
    void aCallHoldsAtMost5MiBOfDataAndKeys() {
        String big = "{\"title\":\"" + "x".repeat(1_000_000) + "\"}";  // 1,000,012 bytes, and a 1-digit key
        List<Post> posts = LongStream.range(0, 6).mapToObj(ind -> post(ind, big)).toList();

        // 5 records are 5,000,065 bytes, within 5 MiB (5,242,880); a sixth would not be
        assertThat(KinesisSink.calls(posts, RecordKind.PIN, STREAM)).extracting(List::size).containsExactly(5, 1);
    }

    @Test
    void aRepeatedKeyStartsTheNextCallSoThatARetryCannotReorderIt() {
        List<Post> posts = List.of(post(1, "{\"a\":1}"), post(2, "{\"b\":1}"), post(1, "{\"a\":2}"), post(3, "{\"c\":1}"));

        List<List<PutRecordsRequestEntry>> calls = KinesisSink.calls(posts, RecordKind.PIN, STREAM);

        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).extracting(PutRecordsRequestEntry::partitionKey).containsExactly("1", "2");
        assertThat(calls.get(1)).extracting(entry -> entry.data().asString(StandardCharsets.UTF_8))
                .containsExactly("{\"a\":2}", "{\"c\":1}");
    }

    @Test
    void aRecordOverOneMiBIsRefusedNamingStreamAndKey() {
        List<Post> posts = List.of(post(42, "{\"title\":\"" + "x".repeat(1 << 20) + "\"}"));

        assertThatThrownBy(() -> KinesisSink.calls(posts, RecordKind.PIN, STREAM))
                .isInstanceOf(SinkException.class)
                .hasMessageContaining(STREAM)
                .hasMessageContaining("ind 42");
    }

    @Test
    void throttlingServerErrorsAndLostConnectionsAreRetriedOtherErrorsAreNot() {
        assertThat(KinesisSink.retryable(kinesisError(ProvisionedThroughputExceededException.builder(), 400,
                "ProvisionedThroughputExceededException"))).isTrue();
        assertThat(KinesisSink.retryable(kinesisError(LimitExceededException.builder(), 400, "LimitExceededException")))
                .isTrue();
        assertThat(KinesisSink.retryable(kinesisError(KinesisException.builder(), 503, "ServiceUnavailable"))).isTrue();
        assertThat(KinesisSink.retryable(SdkClientException.create("connection reset", new IOException("reset"))))
                .isTrue();

        assertThat(KinesisSink.retryable(kinesisError(ResourceNotFoundException.builder(), 400,
                "ResourceNotFoundException"))).isFalse();
        assertThat(KinesisSink.retryable(kinesisError(KinesisException.builder(), 403, "AccessDeniedException")))
                .isFalse();
        assertThat(KinesisSink.retryable(SdkClientException.create("Unable to marshall request"))).isFalse();
    }

    private static KinesisException kinesisError(KinesisException.Builder builder, int status, String code) {
        return (KinesisException) builder.statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("test").build())
                .build();
    }

    private static Post post(long ind, String pin) {
        return new Post(ind, pin, "{\"ind\":" + ind + "}", "{\"ind\":" + ind + "}");
    }
}
