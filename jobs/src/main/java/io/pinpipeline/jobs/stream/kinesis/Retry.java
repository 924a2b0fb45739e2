package io.pinpipeline.jobs.stream.kinesis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.model.KmsThrottlingException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;

/**
 * Calls Kinesis again, after a growing pause, when it throttles (a shard allows 5 GetRecords a second, the
 * control plane a few calls a second) or fails in a way that passes (a 5xx, a broken connection). Anything else,
 * e.g. an unknown stream or an expired iterator, is not retried here.
 *
 * <p>The pause doubles from {@code initialBackoff} up to {@link #MAX_BACKOFF}, with jitter so that the partitions
 * of a batch, throttled together, do not all come back together.
 */
final class Retry {
    private static final Logger LOG = LoggerFactory.getLogger(Retry.class);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final int maxRetries;
    private final Duration initialBackoff;

    Retry(int maxRetries, Duration initialBackoff) {
        this.maxRetries = maxRetries;
        this.initialBackoff = initialBackoff;
    }

    <T> T call(String what, Supplier<T> call) {
        for (int retry = 0; ; retry++) {
            try {
                return call.get();
            } catch (SdkException e) {
                if (!isTransient(e) || retry >= maxRetries) {
                    throw e;
                }
                Duration pause = pause(retry);
                LOG.warn("Kinesis {}: {}; try {} of {} in {} ms", what, e.getMessage(), retry + 2, maxRetries + 1,
                        pause.toMillis());
                sleep(pause);
            }
        }
    }

    /** Throttling, a server error, or an I/O error on the way: worth another try. */
    static boolean isTransient(SdkException e) {
        if (e instanceof ProvisionedThroughputExceededException || e instanceof LimitExceededException
                || e instanceof KmsThrottlingException) {
            return true;
        }
        if (e instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        // a broken or timed-out connection; not, say, missing credentials, which no retry mends
        return e instanceof SdkClientException && (e.getCause() instanceof IOException
                || e.getCause() instanceof UncheckedIOException);
    }

    private Duration pause(int retry) {
        long full = Math.min(MAX_BACKOFF.toMillis(), initialBackoff.toMillis() << Math.min(retry, 20));
        return Duration.ofMillis(full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1));
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to call Kinesis again", e);
        }
    }
}
