package io.pinpipeline.jobs.stream.kinesis;

import java.time.Instant;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * One shard's part of a micro-batch, read by one task: the records after {@code from} up to and including the
 * record {@code upTo}.
 */
record ShardRange(String shardId, ShardPosition from, String upTo) implements InputPartition {
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
