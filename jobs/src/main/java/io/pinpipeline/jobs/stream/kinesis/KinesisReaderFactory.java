package io.pinpipeline.jobs.stream.kinesis;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;

/**
 * Shipped to the executors. A range that carries its records is read from them; otherwise its task opens its own
 * Kinesis client for the range and closes it after.
 */
final class KinesisReaderFactory implements PartitionReaderFactory {
    private final KinesisSourceOptions options;

    KinesisReaderFactory(KinesisSourceOptions options) {
        this.options = options;
    }

    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
        ShardRange range = (ShardRange) partition;
        return range.kept() != null ? ShardRangeReader.ofKept(options.streamName(), range)
                : new ShardRangeReader(SdkKinesisApi.connect(options), options.streamName(), range, options.recordsPerRequest());
    }
}
