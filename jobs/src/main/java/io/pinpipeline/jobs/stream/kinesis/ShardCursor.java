package io.pinpipeline.jobs.stream.kinesis;

import java.util.List;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Reads one shard forward from a position, a page (one GetRecords) at a time. It keeps the position of the last
 * record it returned, so that an iterator that expired (they live five minutes, e.g. across a slow batch) is
 * replaced by one that starts right after that record: nothing skipped, nothing read twice.
 */
final class ShardCursor {
    private final KinesisApi api;
    private final String shardId;
    private ShardPosition position;
    private String iterator;
    private boolean ended;

    /**
     * One GetRecords' worth: the records (maybe none); whether the shard has nothing newer now ({@code caughtUp},
     * only ever on an empty page) or ever ({@code shardEnded}).
     */
    record Page(List<Record> records, boolean caughtUp, boolean shardEnded) {
    }

    ShardCursor(KinesisApi api, String shardId, ShardPosition from) {
        this.api = api;
        this.shardId = shardId;
        this.position = from;
    }

    String shardId() {
        return shardId;
    }

    /** Where the next page starts: after the last record returned, or where the cursor started. */
    ShardPosition position() {
        return position;
    }

    /** The next page of up to {@code limit} records. */
    Page next(int limit) {
        if (ended) {
            return new Page(List.of(), true, true);
        }
        if (iterator == null) {
            iterator = api.shardIterator(shardId, position);
        }
        GetRecordsResponse response;
        try {
            response = api.getRecords(iterator, limit);
        } catch (ExpiredIteratorException e) {
            iterator = api.shardIterator(shardId, position);
            response = api.getRecords(iterator, limit);
        }
        List<Record> records = response.records();
        if (!records.isEmpty()) {
            position = ShardPosition.after(records.get(records.size() - 1).sequenceNumber());
        }
        // No next iterator: the shard is closed and this was its last page.
        iterator = response.nextShardIterator();
        ended = iterator == null;
        // Caught up only on an empty page at MillisBehindLatest 0 (or none given). MillisBehindLatest is a time,
        // the newest record's arrival minus the last returned one's: it is 0 on a full page (or one cut at 10 MB)
        // whose remaining records arrived in the same millisecond, e.g. from one PutRecords call. Stopping there
        // lost records in a run against kinesis-local; the price is one more GetRecords per shard that moved.
        Long behind = response.millisBehindLatest();
        boolean caughtUp = records.isEmpty() && (behind == null || behind == 0);
        return new Page(records, caughtUp || ended, ended);
    }
}
