package io.pinpipeline.jobs.stream.kinesis;

import org.apache.spark.sql.connector.read.InputPartition;

/**
 * One shard's part of a micro-batch, read by one task: the records after {@code from} up to and including the
 * record {@code upTo}.
 */
record ShardRange(String shardId, ShardPosition from, String upTo) implements InputPartition {
}
