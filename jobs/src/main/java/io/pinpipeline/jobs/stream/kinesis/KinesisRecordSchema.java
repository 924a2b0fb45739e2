package io.pinpipeline.jobs.stream.kinesis;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The rows a {@code pinpipeline-kinesis} read gives: one per Kinesis record, with the column names of
 * Databricks' built-in {@code kinesis} source, so that a job reads the same columns on either.
 */
public final class KinesisRecordSchema {
    /** The record's payload, as sent: BINARY. */
    public static final String DATA = "data";
    public static final String PARTITION_KEY = "partitionKey";
    /** The stream's name. */
    public static final String STREAM = "stream";
    public static final String SHARD_ID = "shardId";
    /** Kinesis' sequence number, a decimal number as a STRING; it grows within a shard. */
    public static final String SEQUENCE_NUMBER = "sequenceNumber";
    /** When Kinesis took the record in: TIMESTAMP. */
    public static final String APPROXIMATE_ARRIVAL_TIMESTAMP = "approximateArrivalTimestamp";

    public static final StructType SCHEMA = new StructType()
            .add(DATA, DataTypes.BinaryType, false)
            .add(PARTITION_KEY, DataTypes.StringType, false)
            .add(STREAM, DataTypes.StringType, false)
            .add(SHARD_ID, DataTypes.StringType, false)
            .add(SEQUENCE_NUMBER, DataTypes.StringType, false)
            .add(APPROXIMATE_ARRIVAL_TIMESTAMP, DataTypes.TimestampType, true);

    private KinesisRecordSchema() {
    }
}
