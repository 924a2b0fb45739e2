package io.pinpipeline.jobs.stream.kinesis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The records the driver read while it found a batch's end offset, kept so that the batch's tasks get them with
 * their partition instead of reading them from Kinesis a second time (a second GetShardIterator and GetRecords per
 * shard, and an SDK client per task).
 *
 * <p>Kept per shard as one unbroken run of records after a known position, up to a bound in bytes: a shard whose
 * records would go past it keeps none. A range that is not wholly held is read by its task from Kinesis, as it
 * always is after a restart (this starts empty, so a batch replayed from the offset log reads Kinesis). Either way
 * a range holds exactly the records after its start up to its last one: the kept ones are those same records,
 * read once.
 */
final class ScannedRecords {
    /** Enough for 100,000 records of a few hundred bytes; a driver has far more to spare. */
    static final long DEFAULT_MAX_BYTES = 128L << 20;

    private final long maxBytes;
    private final Map<String, Run> runs = new HashMap<>();
    private long bytes;

    /** One shard's kept records: those right after {@code from}, in order. */
    private static final class Run {
        private ShardPosition from;
        private final List<KeptRecord> records = new ArrayList<>();
        private long bytes;

        Run(ShardPosition from) {
            this.from = from;
        }

        String last() {
            return records.isEmpty() ? from.after() : records.get(records.size() - 1).sequenceNumber();
        }

        int indexOf(String sequenceNumber) {
            for (int i = 0; i < records.size(); i++) {
                if (records.get(i).sequenceNumber().equals(sequenceNumber)) {
                    return i;
                }
            }
            return -1;
        }
    }

    ScannedRecords(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Keeps {@code read}, the records of {@code shardId} right after {@code from}, if the bound allows. */
    synchronized void add(String shardId, ShardPosition from, List<KeptRecord> read) {
        Run run = runs.get(shardId);
        if (run == null || !(run.records.isEmpty() ? samePlace(run.from, from) : run.last().equals(from.after()))) {
            drop(shardId);
            run = new Run(from);
            runs.put(shardId, run);
        }
        long adding = read.stream().mapToLong(KeptRecord::bytes).sum();
        if (bytes + adding > maxBytes) {
            // a gap would break the run: the shard keeps nothing until a scan starts a new one
            drop(shardId);
            return;
        }
        run.records.addAll(read);
        run.bytes += adding;
        bytes += adding;
    }

    /** The records of {@code range}, or null when they are not all kept. */
    synchronized List<KeptRecord> records(ShardRange range) {
        Run run = runs.get(range.shardId());
        if (run == null) {
            return null;
        }
        int first;
        if (samePlace(run.from, range.from())) {
            first = 0;
        } else if (range.from().after() != null && run.indexOf(range.from().after()) >= 0) {
            first = run.indexOf(range.from().after()) + 1;
        } else {
            return null;
        }
        int last = run.indexOf(range.upTo());
        return last < first ? null : List.copyOf(run.records.subList(first, last + 1));
    }

    /** Lets go of the records up to each shard's position in {@code end}: a committed batch is never planned again. */
    synchronized void release(KinesisOffset end) {
        end.shards().forEach((shardId, position) -> {
            Run run = runs.get(shardId);
            if (run == null || position.after() == null) {
                return;
            }
            int upTo = run.indexOf(position.after());
            if (upTo >= 0) {
                List<KeptRecord> released = run.records.subList(0, upTo + 1);
                long freed = released.stream().mapToLong(KeptRecord::bytes).sum();
                released.clear();
                run.bytes -= freed;
                bytes -= freed;
                run.from = ShardPosition.after(position.after());
            } else if (run.last() != null && ShardPosition.compare(run.last(), position.after()) < 0) {
                drop(shardId);
            }
        });
    }

    /** How many bytes are kept now. */
    synchronized long bytes() {
        return bytes;
    }

    private void drop(String shardId) {
        Run run = runs.remove(shardId);
        if (run != null) {
            bytes -= run.bytes;
        }
    }

    /** Two positions that start a read at the same record: after the same one, or (none read) at the same start. */
    static boolean samePlace(ShardPosition a, ShardPosition b) {
        return Objects.equals(a.after(), b.after()) && (a.after() != null || Objects.equals(a.atTimestamp(), b.atTimestamp()));
    }
}
