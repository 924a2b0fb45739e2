package io.pinpipeline.toolkit.emulator;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Drives a run of the emulator: takes posts from a source, hands them to a sink in batches of the sink's size,
 * holds the pace to {@code --rate} posts a second if one is given, shows progress on a terminal, and sums up.
 *
 * <pre>{@code Emulator.Summary summary = new Emulator(OptionalDouble.of(500), progress).run(source.posts(10_000), 10_000, sink);}</pre>
 */
public final class Emulator {
    private static final long PROGRESS_EVERY_NANOS = 200_000_000L;
    private static final int BAR_WIDTH = 30;

    private final OptionalDouble postsPerSecond;
    private final PrintStream progress;

    /** {@code progress} is where the bar goes (a terminal's stderr), or null for none. */
    public Emulator(OptionalDouble postsPerSecond, PrintStream progress) {
        postsPerSecond.ifPresent(rate -> {
            if (!(rate > 0)) {
                throw new IllegalArgumentException("rate must be positive: " + rate);
            }
        });
        this.postsPerSecond = postsPerSecond;
        this.progress = progress;
    }

    /** What a run did: posts handed to the sink, the sink's record counts, and the time it took. */
    public record Summary(long posts, SinkCounts records, double seconds) {
        public double postsPerSecond() {
            return seconds > 0 ? posts / seconds : 0;
        }

        @Override
        public String toString() {
            return String.format("%d posts in %.1f s (%.0f posts/s); records %s", posts, seconds, postsPerSecond(), records);
        }
    }

    /**
     * Sends {@code total} posts from the stream (fewer if it ends first) through the sink, then tells it the run is
     * done ({@link PostSink#finish}). A {@link SinkException} ends the run; the sink's counts then say how far it got.
     */
    public Summary run(Stream<Post> posts, int total, PostSink sink) {
        long started = System.nanoTime();
        long sent = 0;
        long lastShown = 0;
        int batchSize = Math.max(1, postsPerSecond.isPresent()
                // At a low rate, small batches keep the pace smooth (about ten sends a second).
                ? (int) Math.min(sink.batchSize(), Math.max(1, postsPerSecond.getAsDouble() / 10))
                : sink.batchSize());
        Iterator<Post> iterator = posts.iterator();
        List<Post> batch = new ArrayList<>(batchSize);
        while (sent < total && iterator.hasNext()) {
            batch.add(iterator.next());
            if (batch.size() == batchSize || sent + batch.size() == total || !iterator.hasNext()) {
                pace(started, sent + batch.size());
                sink.send(batch);
                sent += batch.size();
                batch = new ArrayList<>(batchSize);
                if (progress != null && System.nanoTime() - lastShown > PROGRESS_EVERY_NANOS) {
                    lastShown = System.nanoTime();
                    showProgress(sent, total, started, sink.counts());
                }
            }
        }
        sink.finish();
        Summary summary = new Summary(sent, sink.counts(), (System.nanoTime() - started) / 1e9);
        if (progress != null) {
            showProgress(sent, total, started, summary.records());
            progress.println();
        }
        return summary;
    }

    /** Waits until sending {@code posts} posts in all keeps the run at its rate. */
    private void pace(long started, long posts) {
        if (postsPerSecond.isEmpty()) {
            return;
        }
        long due = started + (long) ((posts - 1) / postsPerSecond.getAsDouble() * 1e9);
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
    }

    private void showProgress(long sent, int total, long started, SinkCounts counts) {
        double seconds = (System.nanoTime() - started) / 1e9;
        int filled = total == 0 ? BAR_WIDTH : (int) (BAR_WIDTH * sent / total);
        progress.printf("\r[%s%s] %3d%% %,d/%,d posts %,.0f/s  retried %,d", "#".repeat(filled),
                " ".repeat(BAR_WIDTH - filled), total == 0 ? 100 : 100 * sent / total, sent, total,
                seconds > 0 ? sent / seconds : 0, counts.retried());
        progress.flush();
    }
}
