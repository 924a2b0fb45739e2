package io.pinpipeline.toolkit.emulator;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter, as AWS recommends for retries: the n-th retry waits a random time in
 * {@code [0, min(maxDelay, firstDelay * 2^(n-1))]}, so that many senders retrying at once spread out.
 * {@code attempts} is the most tries of one request, the first one included.
 */
public record Backoff(int attempts, Duration firstDelay, Duration maxDelay) {
    /** Ten tries over about half a minute at worst: rides out a broker restart or a throttled shard. */
    public static final Backoff DEFAULT = new Backoff(10, Duration.ofMillis(50), Duration.ofSeconds(5));

    public Backoff {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
        }
    }

    /** Whether a request that has been tried {@code tries} times may be tried again. */
    public boolean mayRetry(int tries) {
        return tries < attempts;
    }

    /** Sleeps before retry number {@code retry} (1 for the first retry). */
    public void pause(int retry) {
        long ceiling = Math.min(maxDelay.toMillis(), firstDelay.toMillis() << Math.min(retry - 1, 20));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkException("interrupted while waiting to retry", e);
        }
    }
}
