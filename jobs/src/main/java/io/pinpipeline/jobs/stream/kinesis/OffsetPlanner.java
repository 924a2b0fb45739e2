package io.pinpipeline.jobs.stream.kinesis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, on the driver, what the next micro-batch reads: the end offset from a start offset and the shards as
 * listed now, and then the range of each shard between two offsets.
 *
 * <p>Resharding: a shard is read only once every parent it has is closed and read to its end in the batch's start
 * offset (or has aged out of the stream). So the records of a key, which moves from a parent to a child, reach
 * the sink in order, batch after batch. A closed shard is known to be at its end when GetRecords returns no next
 * iterator.
 */
final class OffsetPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(OffsetPlanner.class);
    static final long NO_BOUND = Long.MAX_VALUE;

    private final ShardScanner scanner;

    OffsetPlanner(ShardScanner scanner) {
        this.scanner = scanner;
    }

    /**
     * The end offset of a batch that starts at {@code start}: each shard that may be read is read forward, at most
     * {@code maxRecordsPerShard} records, and not beyond {@code cap} if one is given (an available-now run's
     * target: a shard it does not name is not read). Equal to {@code start} when there is nothing new.
     */
    KinesisOffset next(KinesisOffset start, List<ShardInfo> listing, long maxRecordsPerShard, KinesisOffset cap) {
        Set<String> listed = ids(listing);
        KinesisOffset end = start;
        for (ShardInfo shard : listing) {
            ShardPosition from = start.position(shard.shardId());
            if (from.closed() || !parentsDone(shard, start, listed)) {
                continue;
            }
            ShardPosition to;
            if (cap == null) {
                to = scanner.advance(shard.shardId(), from, maxRecordsPerShard, null);
            } else {
                ShardPosition target = cap.shards().get(shard.shardId());
                if (target == null || target.equals(from)) {
                    continue;
                }
                // with no bound the target is the answer: it was read to when the run started
                to = maxRecordsPerShard == NO_BOUND ? target : scanner.advance(shard.shardId(), from, maxRecordsPerShard, target);
            }
            if (!to.equals(from)) {
                end = end.with(shard.shardId(), to);
            }
        }
        return end.equals(start) ? start : withoutAgedOut(end, listed);
    }

    /**
     * Everything the stream holds now, from {@code start}: the target of an available-now run. Shards are read to
     * their newest record; when that finishes a closed parent, its children are read too (they hold records that
     * were in the stream when the run started), and so on.
     */
    KinesisOffset target(KinesisOffset start, List<ShardInfo> listing) {
        Set<String> listed = ids(listing);
        Set<String> read = new HashSet<>();
        KinesisOffset target = start;
        boolean readMore = true;
        while (readMore) {
            readMore = false;
            for (ShardInfo shard : listing) {
                ShardPosition from = target.position(shard.shardId());
                if (read.contains(shard.shardId()) || from.closed() || !parentsDone(shard, target, listed)) {
                    continue;
                }
                read.add(shard.shardId());
                ShardPosition to = scanner.advance(shard.shardId(), from, NO_BOUND, null);
                if (!to.equals(from)) {
                    target = target.with(shard.shardId(), to);
                }
                readMore |= to.closed();
            }
        }
        return target;
    }

    /**
     * What a batch from {@code start} to {@code end} reads: for each shard whose last record moved, the records
     * after its start position up to and including the end's last record. The same two offsets give the same
     * ranges, so a replayed batch reads exactly what it read before.
     */
    static List<ShardRange> ranges(KinesisOffset start, KinesisOffset end) {
        List<ShardRange> ranges = new ArrayList<>();
        for (Map.Entry<String, ShardPosition> shard : end.shards().entrySet()) {
            ShardPosition from = start.position(shard.getKey());
            String upTo = shard.getValue().after();
            if (upTo != null && !upTo.equals(from.after())) {
                ranges.add(new ShardRange(shard.getKey(), from, upTo));
            }
        }
        return ranges;
    }

    /** A shard may be read once each parent is closed and read to its end, or gone from the stream (aged out). */
    static boolean parentsDone(ShardInfo shard, KinesisOffset offset, Set<String> listed) {
        return shard.parentShardIds().stream()
                .allMatch(parent -> !listed.contains(parent) || offset.position(parent).closed());
    }

    /**
     * Drops the shards that are no longer listed: past the retention period they cannot be read, and an offset
     * need not name every shard a stream ever had. Only done in a batch that moves anyway, so that dropping alone
     * never makes a batch.
     */
    private static KinesisOffset withoutAgedOut(KinesisOffset end, Set<String> listed) {
        end.shards().forEach((shardId, position) -> {
            if (!listed.contains(shardId) && !position.closed()) {
                LOG.warn("Kinesis shard {} aged out of the stream before it was read to its end (last read: {})",
                        shardId, position.after());
            }
        });
        return end.withoutShards(shardId -> !listed.contains(shardId));
    }

    private static Set<String> ids(List<ShardInfo> listing) {
        return listing.stream().map(ShardInfo::shardId).collect(Collectors.toSet());
    }
}
