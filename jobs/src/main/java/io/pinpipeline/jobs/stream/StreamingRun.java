package io.pinpipeline.jobs.stream;

import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.jobs.silver.CleaningCounts;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One streaming job, shared by {@link StreamPins}, {@link StreamGeo} and {@link StreamUsers}: read the kind's
 * stream {@code streaming-<prefix>-<kind>}, and hand each micro-batch to {@link MicroBatch}. One checkpoint per
 * stream, {@code <checkpoints.root>/stream-<kind>}: a restart goes on from the last committed micro-batch.
 */
public final class StreamingRun {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingRun.class);

    private StreamingRun() {
    }

    /** What a run did: micro-batches and records in all. */
    public record Report(RecordKind kind, long batches, long read, long upserted, long quarantined, long millis) {
        @Override
        public String toString() {
            return String.format("%s stream: %d micro-batches, %d records read, %d rows upserted, %d quarantined, in %.1f s",
                    kind.label(), batches, read, upserted, quarantined, millis / 1000.0);
        }
    }

    /** The query's name and checkpoint folder: {@code stream-<kind>}. */
    public static String queryName(RecordKind kind) {
        return "stream-" + kind.label();
    }

    /**
     * Runs the kind's streaming query: until the stream is caught up for {@code available-now}, else until the query
     * is stopped (or fails).
     */
    public static Report run(Lake lake, Settings settings, RecordKind kind, StreamTrigger trigger) {
        String stream = kind.stream(settings.prefix());
        return run(lake, kind, kind.streamingTable(settings.prefix()), KinesisRecords.read(lake.spark(), settings, stream),
                stream, trigger);
    }

    /**
     * Runs the kind's query over {@code records}, a streaming Dataset of {@code raw, source} read from
     * {@code from}, into {@code table}, with the kind's checkpoint.
     */
    static Report run(Lake lake, RecordKind kind, String table, Dataset<Row> records, String from, StreamTrigger trigger) {
        long started = System.nanoTime();
        String query = queryName(kind);
        AtomicLong batches = new AtomicLong();
        AtomicReference<CleaningCounts> total = new AtomicReference<>(CleaningCounts.NONE);
        VoidFunction2<Dataset<Row>, Long> microBatch = (batch, batchId) -> {
            CleaningCounts counts = MicroBatch.apply(lake, table, kind, batch);
            batches.incrementAndGet();
            total.accumulateAndGet(counts, CleaningCounts::plus);
            LOG.info("{} micro-batch {}: {}", query, batchId, counts);
        };
        try {
            StreamingQuery running = records.writeStream()
                    .queryName(query)
                    .option("checkpointLocation", lake.checkpoint(query))
                    .trigger(trigger.sparkTrigger())
                    .foreachBatch(microBatch)
                    .start();
            LOG.info("{}: reading {} into {} ({}, checkpoint {})", query, from, lake.table(table), trigger,
                    lake.checkpoint(query));
            running.awaitTermination();
        } catch (TimeoutException | StreamingQueryException e) {
            throw new IllegalStateException(query + " failed reading " + from + ": " + e.getMessage(), e);
        }
        CleaningCounts counts = total.get();
        Report report = new Report(kind, batches.get(), counts.read(), counts.upserted(), counts.quarantined(),
                (System.nanoTime() - started) / 1_000_000);
        LOG.info("{}", report);
        return report;
    }
}
