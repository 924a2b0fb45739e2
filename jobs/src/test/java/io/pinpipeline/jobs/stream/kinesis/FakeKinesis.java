package io.pinpipeline.jobs.stream.kinesis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * An in-memory stream that answers as Kinesis and kinesis-local do: shards with parents, closed shards whose last
 * page has no next iterator, pages of at most {@link #pageSize} records, iterators that can be made to expire, and
 * MillisBehindLatest as a time: the newest record's arrival minus the last returned record's, so 0 on a page
 * whose remaining records arrived in the same millisecond ({@link #putAtOnce}). Sequence numbers start at 98 and cross a digit boundary
 * (98, 99, 100, ...), so that comparing them as strings would go wrong.
 */
final class FakeKinesis implements KinesisApi {
    private final Map<String, Shard> shards = new LinkedHashMap<>();
    private long clockMillis = 1_700_000_000_000L;
    /** The most records one GetRecords returns, whatever its limit: Kinesis may return fewer than asked. */
    int pageSize = Integer.MAX_VALUE;
    /** How many of the next GetRecords calls fail with ExpiredIteratorException. */
    int expireNext;
    int getRecordsCalls;
    int shardIteratorCalls;

    private static final class Shard {
        final List<String> parents;
        final List<Record> records = new ArrayList<>();
        long nextSequence = 98;
        boolean closed;

        Shard(List<String> parents) {
            this.parents = parents;
        }
    }

    FakeKinesis shard(String shardId, String... parents) {
        shards.put(shardId, new Shard(List.of(parents)));
        return this;
    }

    /** Puts a record whose data is {@code data}; returns its sequence number. */
    String put(String shardId, String data) {
        return put(shardId, data, clockMillis++);
    }

    /** Puts records that arrive in one millisecond, as the records of one PutRecords call may. */
    void putAtOnce(String shardId, String... data) {
        long now = clockMillis++;
        for (String value : data) {
            put(shardId, value, now);
        }
    }

    private String put(String shardId, String data, long arrival) {
        Shard shard = shards.get(shardId);
        if (shard.closed) {
            throw new IllegalStateException(shardId + " is closed");
        }
        String sequenceNumber = Long.toString(shard.nextSequence);
        shard.nextSequence += 1;
        shard.records.add(Record.builder()
                .sequenceNumber(sequenceNumber)
                .partitionKey("key-" + data)
                .data(SdkBytes.fromUtf8String(data))
                .approximateArrivalTimestamp(Instant.ofEpochMilli(arrival))
                .build());
        return sequenceNumber;
    }

    void close(String shardId) {
        shards.get(shardId).closed = true;
    }

    /** Drops a shard from the listing, as Kinesis does once a closed shard is past the retention period. */
    void ageOut(String shardId) {
        shards.remove(shardId);
    }

    long now() {
        return clockMillis;
    }

    @Override
    public List<ShardInfo> listShards() {
        List<ShardInfo> listing = new ArrayList<>();
        shards.forEach((id, shard) -> listing.add(new ShardInfo(id, shard.parents, shard.closed)));
        return listing;
    }

    @Override
    public String shardIterator(String shardId, ShardPosition from) {
        shardIteratorCalls++;
        List<Record> records = shards.get(shardId).records;
        int index = 0;
        while (index < records.size() && !startsAt(records.get(index), from)) {
            index++;
        }
        return shardId + "/" + index;
    }

    private static boolean startsAt(Record record, ShardPosition from) {
        if (from.after() != null) {
            return ShardPosition.compare(record.sequenceNumber(), from.after()) > 0;
        }
        if (from.atTimestamp() != null) {
            return record.approximateArrivalTimestamp().toEpochMilli() >= from.atTimestamp();
        }
        return true;
    }

    @Override
    public GetRecordsResponse getRecords(String shardIterator, int limit) {
        getRecordsCalls++;
        if (expireNext > 0) {
            expireNext--;
            throw ExpiredIteratorException.builder().message("Iterator expired").build();
        }
        String shardId = shardIterator.substring(0, shardIterator.indexOf('/'));
        int index = Integer.parseInt(shardIterator.substring(shardIterator.indexOf('/') + 1));
        Shard shard = shards.get(shardId);
        int end = (int) Math.min(shard.records.size(), (long) index + Math.min(limit, pageSize));
        boolean atEnd = end == shard.records.size();
        long behind = end == index ? 0L
                : arrival(shard.records.get(shard.records.size() - 1)) - arrival(shard.records.get(end - 1));
        return GetRecordsResponse.builder()
                .records(shard.records.subList(index, end))
                .nextShardIterator(atEnd && shard.closed ? null : shardId + "/" + end)
                .millisBehindLatest(behind)
                .build();
    }

    private static long arrival(Record record) {
        return record.approximateArrivalTimestamp().toEpochMilli();
    }

    @Override
    public void close() {
    }
}
