package io.pinpipeline.jobs.stream.kinesis;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.unsafe.types.UTF8String;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Reads one {@link ShardRange} on an executor, page by page, as rows of {@link KinesisRecordSchema}. It stops at
 * the range's last record, so that a batch reads exactly the range its offsets name, however much the shard has
 * gained since.
 */
final class ShardRangeReader implements PartitionReader<InternalRow> {
    private final KinesisApi api;
    private final ShardRange range;
    private final UTF8String stream;
    private final UTF8String shardId;
    private final ShardCursor cursor;
    private final int recordsPerRequest;
    private Iterator<Record> page = List.<Record>of().iterator();
    private boolean done;
    private InternalRow current;

    ShardRangeReader(KinesisApi api, String streamName, ShardRange range, int recordsPerRequest) {
        this.api = api;
        this.range = range;
        this.stream = UTF8String.fromString(streamName);
        this.shardId = UTF8String.fromString(range.shardId());
        this.cursor = new ShardCursor(api, range.shardId(), range.from());
        this.recordsPerRequest = recordsPerRequest;
    }

    @Override
    public boolean next() {
        while (!done) {
            if (page.hasNext()) {
                Record record = page.next();
                int order = ShardPosition.compare(record.sequenceNumber(), range.upTo());
                if (order > 0) {
                    throw missing("the shard went on to " + record.sequenceNumber());
                }
                done = order == 0;
                current = row(record);
                return true;
            }
            ShardCursor.Page next = cursor.next(recordsPerRequest);
            if (next.records().isEmpty() && next.caughtUp()) {
                throw missing(next.shardEnded() ? "the shard ended" : "the shard has no newer record");
            }
            page = next.records().iterator();
        }
        return false;
    }

    @Override
    public InternalRow get() {
        return current;
    }

    @Override
    public void close() {
        api.close();
    }

    private InternalRow row(Record record) {
        Instant arrival = record.approximateArrivalTimestamp();
        return new GenericInternalRow(new Object[] {
                record.data().asByteArray(),
                UTF8String.fromString(record.partitionKey()),
                stream,
                shardId,
                UTF8String.fromString(record.sequenceNumber()),
                arrival == null ? null : Math.addExact(Math.multiplyExact(arrival.getEpochSecond(), 1_000_000L),
                        arrival.getNano() / 1_000L)
        });
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
