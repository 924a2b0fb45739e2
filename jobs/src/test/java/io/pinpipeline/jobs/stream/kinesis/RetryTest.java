package io.pinpipeline.jobs.stream.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

class RetryTest {
    @Test
    void throttlingIsRetriedUntilItPasses() {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = new Retry(3, Duration.ofMillis(1));

        String result = retry.call("test", () -> {
            int call = calls.incrementAndGet();
            if (call == 1) {
                throw ProvisionedThroughputExceededException.builder().message("slow down").build();
            }
            if (call == 2) {
                throw LimitExceededException.builder().message("slow down").build();
            }
            return "ok";
        });

        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(3);
    }

    @Test
    void retriesEndAtTheLimitAndNeverCoverAPermanentError() {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = new Retry(2, Duration.ofMillis(1));

        assertThatThrownBy(() -> retry.call("test", () -> {
            calls.incrementAndGet();
            throw SdkClientException.builder().message("reset").cause(new SocketException("reset")).build();
        })).isInstanceOf(SdkClientException.class);
        assertThat(calls).hasValue(3);

        calls.set(0);
        assertThatThrownBy(() -> retry.call("test", () -> {
            calls.incrementAndGet();
            throw ResourceNotFoundException.builder().message("no such stream").build();
        })).isInstanceOf(ResourceNotFoundException.class);
        assertThat(calls).hasValue(1);
    }
}
