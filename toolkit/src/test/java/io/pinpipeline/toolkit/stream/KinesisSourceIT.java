package io.pinpipeline.toolkit.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.jobs.spark.Sessions;
import io.pinpipeline.jobs.stream.kinesis.KinesisRecordSchema;
import io.pinpipeline.jobs.stream.kinesis.KinesisSourceProvider;
import io.pinpipeline.toolkit.local.LocalKinesis;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BinaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * The pinpipeline-kinesis source in Spark against a real kinesis-local on loopback: what goes into a stream with
 * PutRecords comes out of a streaming query exactly once, byte for byte, across restarts, a replayed batch, and a
 * reshard in the middle of a run.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)  // a hung query fails the test instead of the build
class KinesisSourceIT {
    private static final String REGION = "us-east-1";

    private static LocalKinesis kinesis;
    private static KinesisClient client;
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        kinesis = LocalKinesis.start(REGION, Path.of("target/kinesis-local/KinesisSourceIT.log"));
        client = kinesis.client();
        spark = Sessions.deltaBuilder("kinesis-source-it")
                // two cores, as on the CI machine
                .master("local[2]")
                // a handful of rows a batch: two shuffle partitions, not 200
                .config("spark.sql.shuffle.partitions", "2")
                // no web UI to start, no port to bind
                .config("spark.ui.enabled", "false")
                // otherwise Spark binds a non-loopback address on these machines
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (kinesis != null) {
            kinesis.close();
        }
    }

    /** A record as put, or as read: its bytes (Base64, to compare them), key, shard and sequence number. */
    record Sent(String data, String partitionKey, String shardId, String sequenceNumber) {
        static Sent of(Row row) {
            return new Sent(Base64.getEncoder().encodeToString(row.getAs(KinesisRecordSchema.DATA)),
                    row.getAs(KinesisRecordSchema.PARTITION_KEY), row.getAs(KinesisRecordSchema.SHARD_ID),
                    row.getAs(KinesisRecordSchema.SEQUENCE_NUMBER));
        }
    }

    @Test
    void availableNowReadsEveryRecordOnceByteForByte() throws Exception {
        String stream = createStream("source-all", 2);
        List<Sent> sent = put(stream, 0, 500);

        // pages of 100: one PutRecords' records share a millisecond, so most pages end with MillisBehindLatest 0
        // while records remain (a run once stopped there)
        Dataset<Row> records = read(stream).option("recordsPerRequest", "100").load();
        List<Row> rows = new CopyOnWriteArrayList<>();
        run(records, dir.resolve("checkpoint"), Trigger.AvailableNow(),
                (batch, batchId) -> rows.addAll(batch.collectAsList()));

        assertThat(records.schema()).isEqualTo(new StructType()
                .add("data", DataTypes.BinaryType, false)
                .add("partitionKey", DataTypes.StringType, false)
                .add("stream", DataTypes.StringType, false)
                .add("shardId", DataTypes.StringType, false)
                .add("sequenceNumber", DataTypes.StringType, false)
                .add("approximateArrivalTimestamp", DataTypes.TimestampType, true));
        assertThat(sent).extracting(Sent::shardId).containsOnly("shardId-000000000000", "shardId-000000000001");
        assertThat(rows.stream().map(Sent::of).toList()).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.<String>getAs(KinesisRecordSchema.STREAM)).isEqualTo(stream);
            assertThat(row.<Object>getAs(KinesisRecordSchema.APPROXIMATE_ARRIVAL_TIMESTAMP)).isNotNull();
        });
    }

    @Test
    void aRestartReadsOnlyNewRecordsAndAReplayedBatchReadsTheSameRecordsAgain() throws Exception {
        String stream = createStream("source-restart", 2);
        Path checkpoint = dir.resolve("checkpoint");
        List<Sent> first = put(stream, 0, 40);
        Map<Long, List<Sent>> firstRun = runAvailableNow(read(stream), checkpoint);
        List<Sent> second = put(stream, 40, 30);
        Map<Long, List<Sent>> secondRun = runAvailableNow(read(stream), checkpoint);

        long lastBatch = lastCommittedBatch(checkpoint);
        Files.delete(checkpoint.resolve("commits/" + lastBatch));
        Files.deleteIfExists(checkpoint.resolve("commits/." + lastBatch + ".crc"));
        List<Sent> third = put(stream, 70, 5);  // newer records: not for the replayed batch, for the one after it
        Map<Long, List<Sent>> replay = runAvailableNow(read(stream), checkpoint);

        assertThat(all(firstRun)).containsExactlyInAnyOrderElementsOf(first);
        assertThat(all(secondRun)).containsExactlyInAnyOrderElementsOf(second);
        assertThat(secondRun).containsKey(lastBatch);
        assertThat(replay).containsOnlyKeys(lastBatch, lastBatch + 1);
        assertThat(inShardOrder(replay.get(lastBatch))).isEqualTo(inShardOrder(secondRun.get(lastBatch)));
        assertThat(replay.get(lastBatch + 1)).containsExactlyInAnyOrderElementsOf(third);
    }

    @Test
    void latestStartsAfterWhatTheStreamHeldAtTheFirstStart() throws Exception {
        String stream = createStream("source-latest", 2);
        Path checkpoint = dir.resolve("checkpoint");
        put(stream, 0, 10);
        Map<Long, List<Sent>> firstRun = runAvailableNow(read(stream).option("initialPosition", "LATEST"), checkpoint);
        List<Sent> later = put(stream, 10, 10);
        Map<Long, List<Sent>> secondRun = runAvailableNow(read(stream).option("initialPosition", "LATEST"), checkpoint);

        assertThat(all(firstRun)).isEmpty();
        assertThat(all(secondRun)).containsExactlyInAnyOrderElementsOf(later);
    }

    @Test
    void reshardingInTheMiddleOfARunLosesNothingAndDoublesNothing() throws Exception {
        String stream = createStream("source-reshard", 2);
        Path checkpoint = dir.resolve("checkpoint");
        List<Sent> beforeReshard = put(stream, 0, 20);
        List<Sent> sent = new ArrayList<>(beforeReshard);

        // one bounded batch, then the query stops: the shards are read in part
        Map<Long, List<Sent>> partRun = new ConcurrentSkipListMap<>();
        StreamingQuery part = start(read(stream).option("maxRecordsPerShardPerBatch", "3").load(), checkpoint,
                Trigger.ProcessingTime("1 hour"), collectInto(partRun));
        while (part.recentProgress().length == 0 && part.isActive()) {
            Thread.sleep(50);
        }
        part.stop();
        assertThat(part.exception().isDefined()).as("the first query failed: %s", part.exception()).isFalse();

        // shard 0 splits into 2 and 3, which merge into 4; records go in between
        Shard parent = shard(stream, "shardId-000000000000");
        BigInteger low = new BigInteger(parent.hashKeyRange().startingHashKey());
        BigInteger high = new BigInteger(parent.hashKeyRange().endingHashKey());
        client.splitShard(request -> request.streamName(stream).shardToSplit(parent.shardId())
                .newStartingHashKey(low.add(high).shiftRight(1).toString()));
        awaitActive(stream);
        sent.addAll(put(stream, 20, 20));
        client.mergeShards(request -> request.streamName(stream)
                .shardToMerge("shardId-000000000002").adjacentShardToMerge("shardId-000000000003"));
        awaitActive(stream);
        sent.addAll(put(stream, 40, 20));

        Map<Long, List<Sent>> restRun = runAvailableNow(read(stream).option("maxRecordsPerShardPerBatch", "3"), checkpoint);

        // the bounded batch: the first three records of each shard
        assertThat(partRun).containsOnlyKeys(0L);
        assertThat(inShardOrder(partRun.get(0L))).isEqualTo(beforeReshard.stream()
                .collect(Collectors.groupingBy(Sent::shardId, TreeMap::new, Collectors.toList()))
                .values().stream().flatMap(records -> inShardOrder(records).stream().limit(3))
                .toList());
        Map<Long, List<Sent>> bothRuns = new TreeMap<>(partRun);
        bothRuns.putAll(restRun);
        assertThat(all(bothRuns)).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(sent).extracting(Sent::shardId).contains("shardId-000000000002", "shardId-000000000003",
                "shardId-000000000004");
        // a key's records arrive in order: children after their parents' last batch, each shard in sequence
        Map<String, Long> firstBatch = batchOfShard(bothRuns, Math::min);
        Map<String, Long> lastBatch = batchOfShard(bothRuns, Math::max);
        assertThat(firstBatch.get("shardId-000000000002")).isGreaterThan(lastBatch.get("shardId-000000000000"));
        assertThat(firstBatch.get("shardId-000000000003")).isGreaterThan(lastBatch.get("shardId-000000000000"));
        assertThat(firstBatch.get("shardId-000000000004")).isGreaterThan(
                Math.max(lastBatch.get("shardId-000000000002"), lastBatch.get("shardId-000000000003")));
        assertThat(inBatchOrder(bothRuns)).isEqualTo(inShardOrder(sent));
    }

    // ---- the stream

    private String createStream(String name, int shards) {
        kinesis.createStream(name, shards);
        return name;
    }

    /**
     * Puts records {@code from} .. {@code from + count - 1}, each a few bytes that are not text (a zero byte, 0xff),
     * with its own partition key; returns where each went.
     */
    private List<Sent> put(String stream, int from, int count) {
        List<PutRecordsRequestEntry> entries = IntStream.range(from, from + count)
                .mapToObj(i -> PutRecordsRequestEntry.builder()
                        .partitionKey("key-" + i)
                        .data(SdkBytes.fromByteArray(bytes(i)))
                        .build())
                .toList();
        PutRecordsResponse response = client.putRecords(request -> request.streamName(stream).records(entries));
        assertThat(response.failedRecordCount()).isZero();
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            PutRecordsResultEntry result = response.records().get(i);
            sent.add(new Sent(Base64.getEncoder().encodeToString(entries.get(i).data().asByteArray()),
                    entries.get(i).partitionKey(), result.shardId(), result.sequenceNumber()));
        }
        return sent;
    }

    private static byte[] bytes(int i) {
        byte[] text = ("{\"ind\": " + i + ", \"title\": \"caf\u00e9\"}").getBytes(StandardCharsets.UTF_8);
        byte[] data = new byte[text.length + 3];
        System.arraycopy(text, 0, data, 0, text.length);
        data[text.length] = 0;
        data[text.length + 1] = (byte) 0xff;
        data[text.length + 2] = (byte) i;
        return data;
    }

    private Shard shard(String stream, String shardId) {
        return client.listShards(request -> request.streamName(stream)).shards().stream()
                .filter(shard -> shard.shardId().equals(shardId))
                .findFirst().orElseThrow();
    }

    private void awaitActive(String stream) throws InterruptedException {
        while (client.describeStreamSummary(request -> request.streamName(stream)).streamDescriptionSummary()
                .streamStatus() != StreamStatus.ACTIVE) {
            Thread.sleep(50);
        }
    }

    // ---- the queries

    private DataStreamReader read(String stream) {
        return spark.readStream()
                .format(KinesisSourceProvider.FORMAT)
                .option("streamName", stream)
                .option("region", REGION)
                .option("endpointUrl", kinesis.endpoint().toString());
    }

    private static StreamingQuery start(Dataset<Row> records, Path checkpoint, Trigger trigger,
            VoidFunction2<Dataset<Row>, Long> write) throws TimeoutException {
        return records.writeStream()
                .option("checkpointLocation", checkpoint.toString())
                .trigger(trigger)
                .foreachBatch(write)
                .start();
    }

    private static void run(Dataset<Row> records, Path checkpoint, Trigger trigger,
            VoidFunction2<Dataset<Row>, Long> write) throws TimeoutException, StreamingQueryException {
        start(records, checkpoint, trigger, write).awaitTermination();
    }

    private static Map<Long, List<Sent>> runAvailableNow(DataStreamReader reader, Path checkpoint)
            throws TimeoutException, StreamingQueryException {
        Map<Long, List<Sent>> batches = new ConcurrentSkipListMap<>();
        run(reader.load(), checkpoint, Trigger.AvailableNow(), collectInto(batches));
        return batches;
    }

    /** Each non-empty batch's records, by batch id. */
    private static VoidFunction2<Dataset<Row>, Long> collectInto(Map<Long, List<Sent>> batches) {
        return (batch, batchId) -> {
            List<Sent> records = batch.collectAsList().stream().map(Sent::of).toList();
            if (!records.isEmpty()) {
                batches.put(batchId, records);
            }
        };
    }

    private static long lastCommittedBatch(Path checkpoint) throws IOException {
        try (Stream<Path> commits = Files.list(checkpoint.resolve("commits"))) {
            return commits.map(path -> path.getFileName().toString())
                    .filter(name -> name.matches("[0-9]+"))
                    .mapToLong(Long::parseLong)
                    .max().orElseThrow();
        }
    }

    // ---- comparing

    private static List<Sent> all(Map<Long, List<Sent>> batches) {
        return batches.values().stream().flatMap(List::stream).toList();
    }

    /** By shard, then sequence number (as a number): the order within which Kinesis keeps a key's records. */
    private static List<Sent> inShardOrder(List<Sent> records) {
        return records.stream()
                .sorted(Comparator.comparing(Sent::shardId).thenComparing(record -> new BigInteger(record.sequenceNumber())))
                .toList();
    }

    /** Each shard's records in the order of the batches that read them; within a batch, in sequence order. */
    private static List<Sent> inBatchOrder(Map<Long, List<Sent>> batches) {
        return batches.values().stream()
                .flatMap(records -> inShardOrder(records).stream())
                .sorted(Comparator.comparing(Sent::shardId))  // stable: keeps the batch order within a shard
                .toList();
    }

    /** For each shard, the first (min) or last (max) batch that read a record of it. */
    private static Map<String, Long> batchOfShard(Map<Long, List<Sent>> batches, BinaryOperator<Long> pick) {
        Map<String, Long> result = new TreeMap<>();
        batches.forEach((batchId, batch) -> batch.forEach(record -> result.merge(record.shardId(), batchId, pick)));
        return result;
    }
}
