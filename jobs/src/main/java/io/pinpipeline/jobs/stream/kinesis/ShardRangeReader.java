package io.pinpipeline.jobs.stream.kinesis;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Reads one {@link ShardRange} on an executor as rows of {@link KinesisRecordSchema}: from the records it carries
 * (the driver read them while it planned the batch), else from Kinesis, page by page. From Kinesis it stops at the
 * range's last record, so that a batch reads exactly the range its offsets name, however much the shard has gained
 * since.
 */
final class ShardRangeReader implements PartitionReader<InternalRow> {
    private final KinesisApi api;
    private final ShardRange range;
    private final UTF8String stream;
    private final UTF8String shardId;
    private final ShardCursor cursor;
    private final int recordsPerRequest;
    private Iterator<KeptRecord> page;
    private boolean done;
    private InternalRow current;

    ShardRangeReader(KinesisApi api, String streamName, ShardRange range, int recordsPerRequest) {
        this.api = api;
        this.range = range;
        this.stream = UTF8String.fromString(streamName);
        this.shardId = UTF8String.fromString(range.shardId());
        this.cursor = api == null ? null : new ShardCursor(api, range.shardId(), range.from());
        this.recordsPerRequest = recordsPerRequest;
        this.page = range.kept() == null ? List.<KeptRecord>of().iterator() : range.kept().iterator();
    }

    /** A reader of a range that carries its records: no Kinesis call. */
    static ShardRangeReader ofKept(String streamName, ShardRange range) {
        if (range.kept() == null) {
            throw new IllegalArgumentException("the range " + range + " carries no records");
        }
        return new ShardRangeReader(null, streamName, range, 0);
    }

    @Override
    public boolean next() {
        while (!done) {
            if (page.hasNext()) {
                KeptRecord record = page.next();
                int order = ShardPosition.compare(record.sequenceNumber(), range.upTo());
                if (order > 0) {
                    throw missing("the shard went on to " + record.sequenceNumber());
                }
                done = order == 0;
                current = record.row(stream, shardId);
                return true;
            }
            if (cursor == null) {
                throw missing("the records it carries end");
            }
            ShardCursor.Page next = cursor.next(recordsPerRequest);
            if (next.records().isEmpty() && next.caughtUp()) {
                throw missing(next.shardEnded() ? "the shard ended" : "the shard has no newer record");
            }
            page = next.records().stream().map(KeptRecord::of).iterator();
        }
        return false;
    }

    @Override
    public InternalRow get() {
        return current;
    }

    @Override
    public void close() {
        if (api != null) {
            api.close();
        }
    }

    /**
     * The range's last record was not found: the records were trimmed (older than the retention period) or the
     * stream was re-created. The batch cannot be read as it was planned, and reading something else would lose or
     * repeat records silently.
     */
    private IllegalStateException missing(String what) {
        return new IllegalStateException("Kinesis " + stream + ": cannot read the planned range " + range + ": " + what
                + " before its last record");
    }
}
