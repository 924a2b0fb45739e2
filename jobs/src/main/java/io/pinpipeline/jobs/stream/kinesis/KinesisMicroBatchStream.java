package io.pinpipeline.jobs.stream.kinesis;

import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.ReadMaxRows;
import org.apache.spark.sql.connector.read.streaming.SupportsTriggerAvailableNow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of a {@code pinpipeline-kinesis} query: offsets and the plan of each micro-batch.
 *
 * <ul>
 *   <li>{@link #latestOffset(Offset, ReadLimit)} reads each shard forward from the batch's start (see
 *       {@link OffsetPlanner}, {@link ShardScanner}); the end offset names each shard's last record.</li>
 *   <li>{@link #planInputPartitions} gives each shard's range between the two offsets to a task, with the
 *       records the driver read for it when it still holds them ({@link ScannedRecords}); else the task reads
 *       exactly that range from Kinesis, as a batch that Spark replays from its offset log after a restart
 *       does: the same records either way.</li>
 *   <li>Trigger.AvailableNow: the first {@code latestOffset} of the run reads everything the stream holds from
 *       the committed offset (the run's target); the run's batches go no further, then it stops.</li>
 * </ul>
 */
final class KinesisMicroBatchStream implements MicroBatchStream, SupportsTriggerAvailableNow {
    private static final Logger LOG = LoggerFactory.getLogger(KinesisMicroBatchStream.class);

    private final KinesisSourceOptions options;
    private final KinesisApi api;
    private final ScannedRecords scanned;
    private final OffsetPlanner planner;
    private final InitialOffsetStore initialOffsets;
    private final Clock clock;
    private KinesisOffset initialOffset;
    private boolean availableNow;
    private KinesisOffset availableNowTarget;

    KinesisMicroBatchStream(KinesisSourceOptions options, KinesisApi api, InitialOffsetStore initialOffsets, Clock clock) {
        this.options = options;
        this.api = api;
        this.scanned = new ScannedRecords(ScannedRecords.DEFAULT_MAX_BYTES);
        this.planner = new OffsetPlanner(new ShardScanner(api, options.recordsPerRequest(), scanned));
        this.initialOffsets = initialOffsets;
        this.clock = clock;
    }

    /**
     * Where a new query starts, decided once and kept in the checkpoint. TRIM_HORIZON: no shard read yet, each
     * starts at its oldest record. LATEST: each open shard starts at the records that arrive from now on; each
     * closed one counts as read, so that its children (which hold the newer records) are read at once.
     */
    @Override
    public Offset initialOffset() {
        if (initialOffset == null) {
            initialOffset = initialOffsets.getOrCreate(() -> switch (options.initialPosition()) {
                case TRIM_HORIZON -> KinesisOffset.EMPTY;
                case LATEST -> latestPositions();
            });
        }
        return initialOffset;
    }

    private KinesisOffset latestPositions() {
        long now = clock.millis();
        KinesisOffset offset = KinesisOffset.EMPTY;
        for (ShardInfo shard : api.listShards()) {
            offset = offset.with(shard.shardId(),
                    shard.closed() ? ShardPosition.closedAfter(null) : ShardPosition.atTimestamp(now));
        }
        return offset;
    }

    @Override
    public ReadLimit getDefaultReadLimit() {
        // Spark's row limit, taken per shard: Kinesis' own limits (and the order of a key) are per shard
        return options.boundedBatches() ? ReadLimit.maxRows(options.maxRecordsPerShardPerBatch()) : ReadLimit.allAvailable();
    }

    @Override
    public void prepareForTriggerAvailableNow() {
        // Spark calls this before it knows where the run starts; the target is read at the first latestOffset
        availableNow = true;
    }

    /**
     * Required by {@code MicroBatchStream}, never called: for a source with admission control
     * ({@code SupportsAdmissionControl}) Spark asks {@link #latestOffset(Offset, ReadLimit)} instead.
     */
    @Override
    public Offset latestOffset() {
        throw new UnsupportedOperationException(KinesisSourceProvider.FORMAT + " is read with latestOffset(start, limit)");
    }

    @Override
    public Offset latestOffset(Offset startOffset, ReadLimit limit) {
        KinesisOffset start = asKinesis(startOffset);
        List<ShardInfo> listing = api.listShards();
        if (availableNow && availableNowTarget == null) {
            availableNowTarget = timed("read the available-now target", () -> planner.target(start, listing));
            LOG.info("Kinesis {}: available now up to {}", options, availableNowTarget.json());
        }
        long maxRecordsPerShard = limit instanceof ReadMaxRows max ? max.maxRows() : OffsetPlanner.NO_BOUND;
        KinesisOffset end = timed("find the next batch's end",
                () -> planner.next(start, listing, maxRecordsPerShard, availableNowTarget));
        if (!end.equals(start)) {
            LOG.info("Kinesis {}: the next batch reads {}", options, OffsetPlanner.ranges(start, end));
        }
        return end;
    }

    @Override
    public InputPartition[] planInputPartitions(Offset start, Offset end) {
        // Spark may plan a batch more than once: the log line is written where the batch is decided
        return OffsetPlanner.ranges(asKinesis(start), asKinesis(end)).stream()
                .map(range -> range.withKept(scanned.records(range)))
                .toArray(InputPartition[]::new);
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
        return new KinesisReaderFactory(options);
    }

    @Override
    public Offset deserializeOffset(String json) {
        return KinesisOffset.fromJson(json);
    }

    @Override
    public void commit(Offset end) {
        // Kinesis keeps records for the retention period whatever is read: only the driver's copies are let go
        scanned.release(asKinesis(end));
    }

    @Override
    public void stop() {
        api.close();
    }

    @Override
    public String toString() {
        return KinesisSourceProvider.FORMAT + "[" + options + "]";
    }

    private static KinesisOffset asKinesis(Offset offset) {
        return offset instanceof KinesisOffset kinesis ? kinesis : KinesisOffset.fromJson(offset.json());
    }

    private <T> T timed(String what, Supplier<T> step) {
        long started = System.nanoTime();
        T result = step.get();
        LOG.debug("Kinesis {}: {} in {} ms", options, what, (System.nanoTime() - started) / 1_000_000);
        return result;
    }
}
