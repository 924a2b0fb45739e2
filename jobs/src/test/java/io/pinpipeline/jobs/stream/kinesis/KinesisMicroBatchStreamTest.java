package io.pinpipeline.jobs.stream.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver's decisions, on an in-memory stream: what each batch's offsets name, and what its ranges read when
 * read again as the executors do. No Spark, no server.
 */
class KinesisMicroBatchStreamTest {
    private static final String S0 = "shardId-000000000000";
    private static final String S1 = "shardId-000000000001";
    private static final String S2 = "shardId-000000000002";
    private static final String S3 = "shardId-000000000003";
    private static final String S4 = "shardId-000000000004";

    @TempDir
    Path checkpoint;

    private final FakeKinesis kinesis = new FakeKinesis().shard(S0).shard(S1);

    private KinesisMicroBatchStream stream(String... options) {
        Map<String, String> map = new HashMap<>(Map.of("streamName", "s"));
        for (int i = 0; i < options.length; i += 2) {
            map.put(options[i], options[i + 1]);
        }
        return new KinesisMicroBatchStream(KinesisSourceOptions.parse(map), kinesis,
                new InitialOffsetStore(checkpoint.toString(), new Configuration()),
                Clock.fixed(Instant.ofEpochMilli(kinesis.now()), ZoneOffset.UTC));
    }

    /** One batch as Spark runs it: the end offset, then every range read again, as the executors do. */
    private record Batch(Offset end, List<String> data) {
    }

    private Batch nextBatch(KinesisMicroBatchStream stream, Offset start) {
        Offset end = stream.latestOffset(start, stream.getDefaultReadLimit());
        return new Batch(end, read(stream, start, end));
    }

    private List<String> read(KinesisMicroBatchStream stream, Offset start, Offset end) {
        List<String> data = new ArrayList<>();
        for (InputPartition partition : stream.planInputPartitions(start, end)) {
            try (ShardRangeReader reader = new ShardRangeReader(kinesis, "s", (ShardRange) partition, 10_000)) {
                while (reader.next()) {
                    data.add(new String(reader.get().getBinary(0), StandardCharsets.UTF_8));
                }
            }
        }
        return data;
    }

    private void put(String shardId, String... data) {
        for (String value : data) {
            kinesis.put(shardId, value);
        }
    }

    @Test
    void availableNowReadsWhatIsThereWhenItStartsThenStops() {
        put(S0, "a1", "a2", "a3");
        put(S1, "b1", "b2");
        KinesisMicroBatchStream stream = stream();
        stream.prepareForTriggerAvailableNow();

        Offset start = stream.initialOffset();
        Batch first = nextBatch(stream, start);
        put(S0, "a4");  // after the run's start: not for this run
        Offset after = stream.latestOffset(first.end(), stream.getDefaultReadLimit());

        assertThat(start.json()).isEqualTo("{}");
        assertThat(first.data()).containsExactly("a1", "a2", "a3", "b1", "b2");
        assertThat(first.end().json()).isEqualTo("{\"" + S0 + "\":{\"after\":\"100\",\"closed\":false},"
                + "\"" + S1 + "\":{\"after\":\"99\",\"closed\":false}}");
        assertThat(after).isEqualTo(first.end());
    }

    @Test
    void boundedBatchesTakeAtMostTheBoundFromEachShardUntilTheTarget() {
        put(S0, "a1", "a2", "a3", "a4", "a5");
        put(S1, "b1");
        kinesis.pageSize = 2;
        KinesisMicroBatchStream stream = stream("maxRecordsPerShardPerBatch", "2");
        stream.prepareForTriggerAvailableNow();

        Offset start = stream.initialOffset();
        List<List<String>> batches = new ArrayList<>();
        Offset end = stream.latestOffset(start, stream.getDefaultReadLimit());
        while (!end.equals(start)) {
            batches.add(read(stream, start, end));
            put(S1, "late");  // each batch: a record the run must not take
            start = end;
            end = stream.latestOffset(start, stream.getDefaultReadLimit());
        }

        assertThat(batches).containsExactly(List.of("a1", "a2", "b1"), List.of("a3", "a4"), List.of("a5"));
    }

    @Test
    void theTasksGetTheRecordsTheDriverReadAndReadNothingFromKinesis() {
        put(S0, "a1", "a2");
        put(S1, "b1");
        KinesisMicroBatchStream stream = stream();
        Offset start = stream.initialOffset();
        Offset end = stream.latestOffset(start, stream.getDefaultReadLimit());
        int callsWhilePlanning = kinesis.getRecordsCalls;
        List<String> data = read(stream, start, end);

        assertThat(data).containsExactly("a1", "a2", "b1");
        assertThat(stream.planInputPartitions(start, end))
                .allSatisfy(partition -> assertThat(((ShardRange) partition).kept()).isNotNull());
        assertThat(kinesis.getRecordsCalls).as("GetRecords by the tasks").isEqualTo(callsWhilePlanning);
    }

    @Test
    void aBatchPlannedByAFreshDriverReadsTheSameRecordsFromKinesis() {
        put(S0, "a1", "a2");
        put(S1, "b1");
        KinesisMicroBatchStream first = stream();
        Offset start = first.initialOffset();
        Offset end = first.latestOffset(start, first.getDefaultReadLimit());
        List<String> readOnce = read(first, start, end);

        // what a restart does: a new driver replays the logged batch, with nothing of the old one's kept
        KinesisMicroBatchStream replay = stream();
        InputPartition[] ranges = replay.planInputPartitions(start, end);

        assertThat(ranges).allSatisfy(partition -> assertThat(((ShardRange) partition).kept()).isNull());
        assertThat(read(replay, start, end)).isEqualTo(readOnce).containsExactly("a1", "a2", "b1");
    }

    @Test
    void eachBatchGoesOnWithTheShardsIteratorAndCommittedRecordsAreLetGo() {
        KinesisMicroBatchStream stream = stream();
        Offset start = stream.initialOffset();
        Batch empty = nextBatch(stream, start);
        int iterators = kinesis.shardIteratorCalls;
        put(S0, "a1");
        put(S1, "b1");
        Batch first = nextBatch(stream, empty.end());
        stream.commit(first.end());
        put(S0, "a2");
        Batch second = nextBatch(stream, first.end());

        assertThat(first.data()).containsExactly("a1", "b1");
        assertThat(second.data()).containsExactly("a2");
        assertThat(kinesis.shardIteratorCalls).as("GetShardIterator after the first batch").isEqualTo(iterators);
        assertThat(stream.planInputPartitions(first.end(), second.end()))
                .singleElement().satisfies(partition -> assertThat(((ShardRange) partition).kept()).isNotNull());
    }

    @Test
    void recordsOverTheDriversBoundAreReadByTheTasks() {
        ScannedRecords scanned = new ScannedRecords(200);
        ShardRange range = new ShardRange(S0, ShardPosition.TRIM_HORIZON, "3");
        KeptRecord one = new KeptRecord(new byte[10], "k", "1", null);
        KeptRecord two = new KeptRecord(new byte[10], "k", "2", null);
        KeptRecord three = new KeptRecord(new byte[10], "k", "3", null);

        scanned.add(S0, ShardPosition.TRIM_HORIZON, List.of(one, two));
        assertThat(scanned.records(new ShardRange(S0, ShardPosition.TRIM_HORIZON, "2"))).containsExactly(one, two);
        assertThat(scanned.records(new ShardRange(S0, ShardPosition.after("1"), "2"))).containsExactly(two);
        scanned.add(S0, ShardPosition.after("2"), List.of(three));  // over 200 bytes (78 a record): the shard keeps nothing

        assertThat(scanned.records(range)).isNull();
        assertThat(scanned.bytes()).isZero();
        // a run that does not follow on from what is kept replaces it
        scanned.add(S0, ShardPosition.after("2"), List.of(three));
        assertThat(scanned.records(new ShardRange(S0, ShardPosition.after("2"), "3"))).containsExactly(three);
        assertThat(scanned.records(range)).isNull();
    }

    @Test
    void withoutAvailableNowEachBatchTakesWhatHasArrived() {
        KinesisMicroBatchStream stream = stream();
        Offset start = stream.initialOffset();
        Batch empty = nextBatch(stream, start);
        put(S0, "a1");
        put(S1, "b1");
        Batch first = nextBatch(stream, empty.end());
        put(S1, "b2");
        Batch second = nextBatch(stream, first.end());

        assertThat(empty.end()).isEqualTo(start);
        assertThat(empty.data()).isEmpty();
        assertThat(first.data()).containsExactly("a1", "b1");
        assertThat(second.data()).containsExactly("b2");
    }

    @Test
    void aReplayedBatchReadsExactlyTheSameRecordsAgain() {
        put(S0, "a1", "a2");
        KinesisMicroBatchStream stream = stream();
        Offset start = stream.initialOffset();
        Batch batch = nextBatch(stream, start);
        put(S0, "a3");
        put(S1, "b1");

        // after a restart Spark has only the JSON of both offsets
        KinesisMicroBatchStream restarted = stream();
        List<String> replay = read(restarted, restarted.deserializeOffset(start.json()),
                restarted.deserializeOffset(batch.end().json()));

        assertThat(replay).isEqualTo(batch.data()).containsExactly("a1", "a2");
    }

    @Test
    void childrenOfASplitAreReadInTheBatchAfterTheirParentEnds() {
        put(S0, "a1", "a2");
        put(S1, "b1");
        kinesis.close(S0);
        kinesis.shard(S2, S0).shard(S3, S0);
        put(S2, "c1");
        put(S3, "d1");
        KinesisMicroBatchStream stream = stream();

        Offset start = stream.initialOffset();
        Batch parents = nextBatch(stream, start);
        Batch children = nextBatch(stream, parents.end());
        Batch none = nextBatch(stream, children.end());

        assertThat(parents.data()).containsExactly("a1", "a2", "b1");
        assertThat(KinesisOffset.fromJson(parents.end().json()).position(S0)).isEqualTo(ShardPosition.closedAfter("99"));
        assertThat(children.data()).containsExactly("c1", "d1");
        assertThat(none.end()).isEqualTo(children.end());
    }

    @Test
    void aMergedChildWaitsForBothParents() {
        kinesis.shard(S2).shard(S3);  // four open shards; 2 and 3 merge into 4
        put(S2, "c1");
        put(S3, "d1", "d2");
        kinesis.close(S2);
        kinesis.close(S3);
        kinesis.shard(S4, S2, S3);
        put(S4, "e1");
        KinesisMicroBatchStream stream = stream("maxRecordsPerShardPerBatch", "1");

        Offset start = stream.initialOffset();
        Batch first = nextBatch(stream, start);
        Batch second = nextBatch(stream, first.end());
        Batch third = nextBatch(stream, second.end());

        // S2 ends in the first batch, S3 in the second: S4 waits for the later one
        assertThat(first.data()).containsExactly("c1", "d1");
        assertThat(second.data()).containsExactly("d2");
        assertThat(third.data()).containsExactly("e1");
    }

    @Test
    void theAvailableNowTargetFollowsClosedParentsIntoTheirChildren() {
        put(S0, "a1");
        kinesis.close(S0);
        kinesis.shard(S2, S0).shard(S3, S0);
        put(S2, "c1");
        KinesisMicroBatchStream stream = stream();
        stream.prepareForTriggerAvailableNow();

        Offset start = stream.initialOffset();
        Batch parents = nextBatch(stream, start);
        put(S3, "d1");  // after the run's start
        Batch children = nextBatch(stream, parents.end());
        Offset last = stream.latestOffset(children.end(), stream.getDefaultReadLimit());

        assertThat(parents.data()).containsExactly("a1");
        assertThat(children.data()).containsExactly("c1");
        assertThat(last).isEqualTo(children.end());
    }

    @Test
    void latestStartsWithWhatArrivesAfterTheFirstStartAndKeepsThatStartAcrossRestarts() {
        put(S0, "old");
        kinesis.close(S1);
        kinesis.shard(S2, S1);
        KinesisMicroBatchStream stream = stream("initialPosition", "latest");
        Offset initial = stream.initialOffset();
        put(S0, "new");
        put(S2, "child");

        Batch batch = nextBatch(stream, initial);
        Offset afterRestart = stream("initialPosition", "LATEST").initialOffset();

        assertThat(batch.data()).containsExactly("new", "child");
        assertThat(initial.json()).isEqualTo("{\"" + S0 + "\":{\"after\":null,\"closed\":false,\"atTimestamp\":1700000000001},"
                + "\"" + S1 + "\":{\"after\":null,\"closed\":true},"
                + "\"" + S2 + "\":{\"after\":null,\"closed\":false,\"atTimestamp\":1700000000001}}");
        assertThat(afterRestart).isEqualTo(initial);
    }

    @Test
    void shardsThatAgedOutLeaveTheOffsetWithTheNextBatchThatMoves() {
        put(S0, "a1");
        kinesis.close(S0);
        kinesis.shard(S2, S0);
        KinesisMicroBatchStream stream = stream();
        Batch first = nextBatch(stream, stream.initialOffset());
        kinesis.ageOut(S0);
        Offset nothingNew = stream.latestOffset(first.end(), stream.getDefaultReadLimit());
        put(S2, "c1");
        Batch second = nextBatch(stream, first.end());

        assertThat(nothingNew).isEqualTo(first.end());
        assertThat(second.data()).containsExactly("c1");
        assertThat(KinesisOffset.fromJson(second.end().json()).shards()).containsOnlyKeys(S2);
    }
}
