package io.pinpipeline.jobs.stream.kinesis;

import java.util.List;

/**
 * A shard as ListShards describes it: its parents (none; one after a split; two after a merge) and whether it is
 * closed, i.e. replaced by children and taking no more records.
 */
record ShardInfo(String shardId, List<String> parentShardIds, boolean closed) {
    ShardInfo {
        parentShardIds = List.copyOf(parentShardIds);
    }
}
