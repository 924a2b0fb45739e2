package io.pinpipeline.toolkit.emulator;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A sink's counts, in records (a post is three): {@code sent} accepted by the server, {@code retried} sent again
 * after a failure (a record retried twice counts twice), {@code failed} given up on.
 */
public record SinkCounts(long sent, long retried, long failed) {

    @Override
    public String toString() {
        return "sent " + sent + ", retried " + retried + ", failed " + failed;
    }

    /** The running counts a sink keeps; safe to update from the threads that send. */
    public static final class Counter {
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong retried = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();

        public void sent(long records) {
            sent.addAndGet(records);
        }

        public void retried(long records) {
            retried.addAndGet(records);
        }

        public void failed(long records) {
            failed.addAndGet(records);
        }

        public SinkCounts snapshot() {
            return new SinkCounts(sent.get(), retried.get(), failed.get());
        }
    }
}
