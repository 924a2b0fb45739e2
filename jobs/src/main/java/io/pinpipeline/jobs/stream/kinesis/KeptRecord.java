package io.pinpipeline.jobs.stream.kinesis;

import java.io.Serializable;
import java.time.Instant;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * A Kinesis record as this source keeps and ships it: what a row of {@link KinesisRecordSchema} needs, and
 * nothing of the SDK's model. Serializable, so that the driver can hand the records it read to the batch's tasks.
 */
record KeptRecord(byte[] data, String partitionKey, String sequenceNumber, Long arrivalMicros) implements Serializable {
    static KeptRecord of(Record record) {
        Instant arrival = record.approximateArrivalTimestamp();
        return new KeptRecord(record.data().asByteArray(), record.partitionKey(), record.sequenceNumber(),
                arrival == null ? null : Math.addExact(Math.multiplyExact(arrival.getEpochSecond(), 1_000_000L),
                        arrival.getNano() / 1_000L));
    }

    /** What the record takes on the driver while it is kept, roughly: its payload and its two strings. */
    long bytes() {
        return data.length + 2L * (partitionKey.length() + sequenceNumber.length()) + 64;
    }

    InternalRow row(UTF8String stream, UTF8String shardId) {
        return new GenericInternalRow(new Object[] {
                data, UTF8String.fromString(partitionKey), stream, shardId, UTF8String.fromString(sequenceNumber),
                arrivalMicros
        });
    }
}
