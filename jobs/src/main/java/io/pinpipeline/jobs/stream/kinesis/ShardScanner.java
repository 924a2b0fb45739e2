package io.pinpipeline.jobs.stream.kinesis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Finds how far a shard can be read now, on the driver: Kinesis has no "latest offset" call, so this reads the
 * shard forward from a position until it has caught up with the newest record, reached the shard's end, taken
 * the batch's bound of records, or reached a cap (the target of an available-now run). The records it reads go to
 * {@link ScannedRecords}, for the batch's tasks.
 *
 * <p>Each shard's cursor is kept where the scan left it: the next batch starts there, so a shard costs one
 * GetRecords a batch, not a GetShardIterator as well (and an iterator that expired in between is replaced by the
 * cursor itself).
 */
final class ShardScanner {
    private final KinesisApi api;
    private final int recordsPerRequest;
    private final ScannedRecords scanned;
    private final Map<String, ShardCursor> cursors = new HashMap<>();

    ShardScanner(KinesisApi api, int recordsPerRequest) {
        this(api, recordsPerRequest, new ScannedRecords(0));
    }

    ShardScanner(KinesisApi api, int recordsPerRequest, ScannedRecords scanned) {
        this.api = api;
        this.recordsPerRequest = recordsPerRequest;
        this.scanned = scanned;
    }

    /**
     * The position after reading {@code shardId} forward from {@code from}: at most {@code maxRecords} records,
     * and not beyond {@code cap} when one is given (null: no cap).
     */
    ShardPosition advance(String shardId, ShardPosition from, long maxRecords, ShardPosition cap) {
        ShardCursor kept = cursors.remove(shardId);
        ShardCursor cursor = kept != null && ScannedRecords.samePlace(kept.position(), from) ? kept
                : new ShardCursor(api, shardId, from);
        List<KeptRecord> read = new ArrayList<>();
        ShardPosition to = advance(cursor, from, maxRecords, cap, read);
        scanned.add(shardId, from, read);
        if (!to.closed()) {
            cursors.put(shardId, cursor);
        }
        return to;
    }

    private ShardPosition advance(ShardCursor cursor, ShardPosition from, long maxRecords, ShardPosition cap,
                                  List<KeptRecord> read) {
        String last = null;
        long taken = 0;
        while (taken < maxRecords) {
            // asking for no more than the bound leaves, a page never has to be cut
            ShardCursor.Page page = cursor.next((int) Math.min(recordsPerRequest, maxRecords - taken));
            for (Record record : page.records()) {
                if (cap != null && cap.after() != null
                        && ShardPosition.compare(record.sequenceNumber(), cap.after()) > 0) {
                    return from.advancedTo(last, false);  // past the cap: only if its record went missing
                }
                last = record.sequenceNumber();
                read.add(KeptRecord.of(record));
                taken++;
                if (cap != null && last.equals(cap.after())) {
                    // a capped shard ends where the cap does; the cap knows whether that is the shard's end
                    return from.advancedTo(last, cap.closed());
                }
            }
            if (page.shardEnded()) {
                return from.advancedTo(last, true);
            }
            if (page.caughtUp()) {
                break;
            }
        }
        return from.advancedTo(last, false);
    }
}
