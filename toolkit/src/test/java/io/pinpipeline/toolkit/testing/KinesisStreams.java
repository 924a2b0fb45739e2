package io.pinpipeline.toolkit.testing;

import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.toolkit.emulator.Post;
import io.pinpipeline.toolkit.local.LocalKinesis;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** The Kinesis tests' helpers: the streams of a prefix, what posts should put into them, and what they hold. */
public final class KinesisStreams {
    /**
     * Records of a stream spread over several shards, as on AWS. kinesis-local's PutRecords slows down as a
     * shard fills (it hashes the shard's records for each one it adds), so more shards keep tests quick.
     */
    public static final int SHARDS = 4;

    private KinesisStreams() {
    }

    /**
     * One record as a stream holds it: its partition key and its data as UTF-8 text (equal text is equal bytes:
     * bytes that are not UTF-8 would not decode to the text sent).
     */
    public record StreamRecord(String partitionKey, String data) {
    }

    public static void create(LocalKinesis kinesis, String prefix) {
        for (RecordKind kind : RecordKind.values()) {
            kinesis.createStream(kind.stream(prefix), SHARDS);
        }
    }

    /** What a sink should put into each stream for these posts, by stream name. */
    public static Map<String, List<StreamRecord>> expected(List<Post> posts, String prefix) {
        Map<String, List<StreamRecord>> expected = new TreeMap<>();
        for (RecordKind kind : RecordKind.values()) {
            List<StreamRecord> records = new ArrayList<>();
            for (Post post : posts) {
                records.add(new StreamRecord(Long.toString(post.ind()), post.record(kind)));
            }
            expected.put(kind.stream(prefix), records);
        }
        return expected;
    }

    /** Every record of the prefix's streams, by stream name, each shard read from its start to its end. */
    public static Map<String, List<StreamRecord>> read(KinesisClient client, String prefix) {
        Map<String, List<StreamRecord>> read = new TreeMap<>();
        for (RecordKind kind : RecordKind.values()) {
            String stream = kind.stream(prefix);
            List<StreamRecord> records = new ArrayList<>();
            for (Shard shard : client.listShards(request -> request.streamName(stream)).shards()) {
                records.addAll(readShard(client, stream, shard.shardId()));
            }
            read.put(stream, records);
        }
        return read;
    }

    private static List<StreamRecord> readShard(KinesisClient client, String stream, String shardId) {
        List<StreamRecord> records = new ArrayList<>();
        String iterator = client.getShardIterator(request -> request.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        while (true) {
            String current = iterator;
            GetRecordsResponse response = client.getRecords(request -> request.shardIterator(current).limit(10_000));
            for (Record record : response.records()) {
                records.add(new StreamRecord(record.partitionKey(), record.data().asString(StandardCharsets.UTF_8)));
            }
            // an open shard always has a next iterator: the end is an empty answer that is not behind
            Long behind = response.millisBehindLatest();
            if (response.records().isEmpty() && (behind == null || behind == 0)) {
                return records;
            }
            iterator = response.nextShardIterator();
        }
    }
}
