package io.pinpipeline.jobs.stream.kinesis;

import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * One shard's part of a micro-batch, read by one task: the records after {@code from} up to and including the
 * record {@code upTo}. {@code kept}: those records, when the driver read them while it planned the batch (see
 * {@link ScannedRecords}); null: the task reads them from Kinesis.
 */
record ShardRange(String shardId, ShardPosition from, String upTo, List<KeptRecord> kept) implements InputPartition {
    ShardRange(String shardId, ShardPosition from, String upTo) {
        this(shardId, from, upTo, null);
    }

    ShardRange withKept(List<KeptRecord> records) {
        return new ShardRange(shardId, from, upTo, records);
    }

    /** Equal ranges name the same records, whether they carry them or not. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ShardRange range && range.shardId.equals(shardId) && range.from.equals(from)
                && range.upTo.equals(upTo);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(shardId, from, upTo);
    }

    /** Where the range starts, in words: after a record, at a time, or at the trim horizon. */
    String start() {
        return from.after() != null ? "after " + from.after()
                : from.atTimestamp() != null ? "at " + Instant.ofEpochMilli(from.atTimestamp()) : "at the trim horizon";
    }

    @Override
    public String toString() {
        return shardId + " " + start() + " up to " + upTo;
    }
}
