package io.pinpipeline.jobs.stream.kinesis;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;

/** Shipped to the executors: each task opens its own Kinesis client for its shard range and closes it after. */
final class KinesisReaderFactory implements PartitionReaderFactory {
    private final KinesisSourceOptions options;

    KinesisReaderFactory(KinesisSourceOptions options) {
        this.options = options;
    }

    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
        return new ShardRangeReader(SdkKinesisApi.connect(options), options.streamName(), (ShardRange) partition,
                options.recordsPerRequest());
    }
}
