package io.pinpipeline.jobs.stream.kinesis;

import java.util.List;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;

/**
 * The three Kinesis calls the source makes, on one stream. An interface so that the offset logic can be tested
 * against an in-memory stream; {@link SdkKinesisApi} is the real one.
 */
interface KinesisApi extends AutoCloseable {
    /** Every shard of the stream, open or closed, that is still within the retention period. */
    List<ShardInfo> listShards();

    /** An iterator that starts just after {@code from}'s last record, or where a shard with none read starts. */
    String shardIterator(String shardId, ShardPosition from);

    /** Up to {@code limit} records from an iterator; may throw ExpiredIteratorException (iterators live 5 minutes). */
    GetRecordsResponse getRecords(String shardIterator, int limit);

    @Override
    void close();
}
