package io.pinpipeline.jobs.stream.kinesis;

import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Finds how far a shard can be read now, on the driver: Kinesis has no "latest offset" call, so this reads the
 * shard forward from a position until it has caught up with the newest record, reached the shard's end, taken
 * the batch's bound of records, or reached a cap (the target of an available-now run). Only the sequence number
 * of the last record is kept; the executors read the records again, exactly that range.
 */
final class ShardScanner {
    private final KinesisApi api;
    private final int recordsPerRequest;

    ShardScanner(KinesisApi api, int recordsPerRequest) {
        this.api = api;
        this.recordsPerRequest = recordsPerRequest;
    }

    /**
     * The position after reading {@code shardId} forward from {@code from}: at most {@code maxRecords} records,
     * and not beyond {@code cap} when one is given (null: no cap).
     */
    ShardPosition advance(String shardId, ShardPosition from, long maxRecords, ShardPosition cap) {
        ShardCursor cursor = new ShardCursor(api, shardId, from);
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
