package io.pinpipeline.jobs.stream.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.Record;

/** Reading one shard: the cursor across expired iterators, the scanner's bounds, the executor's exact ranges. */
class ShardReadingTest {
    private static final String S0 = "shardId-000000000000";

    private final FakeKinesis kinesis = new FakeKinesis().shard(S0);

    private List<String> puts(String... data) {
        List<String> sequenceNumbers = new ArrayList<>();
        for (String value : data) {
            sequenceNumbers.add(kinesis.put(S0, value));
        }
        return sequenceNumbers;
    }

    @Test
    void anExpiredIteratorIsReplacedByOneAfterTheLastRecordRead() {
        puts("a1", "a2", "a3");
        kinesis.pageSize = 1;
        ShardCursor cursor = new ShardCursor(kinesis, S0, ShardPosition.TRIM_HORIZON);
        List<String> read = new ArrayList<>();

        read.addAll(data(cursor.next(10).records()));
        kinesis.expireNext = 1;
        read.addAll(data(cursor.next(10).records()));
        read.addAll(data(cursor.next(10).records()));

        assertThat(read).containsExactly("a1", "a2", "a3");
    }

    @Test
    void theScannerStopsAtTheNewestRecordAtTheBoundOrAtTheCap() {
        List<String> sequence = puts("a1", "a2", "a3", "a4");
        kinesis.pageSize = 3;
        ShardScanner scanner = new ShardScanner(kinesis, 10_000);

        assertThat(scanner.advance(S0, ShardPosition.TRIM_HORIZON, OffsetPlanner.NO_BOUND, null))
                .isEqualTo(ShardPosition.after(sequence.get(3)));
        assertThat(scanner.advance(S0, ShardPosition.TRIM_HORIZON, 2, null))
                .isEqualTo(ShardPosition.after(sequence.get(1)));
        assertThat(scanner.advance(S0, ShardPosition.after(sequence.get(0)), OffsetPlanner.NO_BOUND,
                ShardPosition.after(sequence.get(2))))
                .isEqualTo(ShardPosition.after(sequence.get(2)));
        assertThat(scanner.advance(S0, ShardPosition.after(sequence.get(3)), OffsetPlanner.NO_BOUND, null))
                .isEqualTo(ShardPosition.after(sequence.get(3)));
    }

    @Test
    void aPageAtTheNewestRecordsMillisecondIsNotTheEndUnlessItIsEmpty() {
        kinesis.putAtOnce(S0, "a1", "a2", "a3", "a4", "a5");
        kinesis.pageSize = 3;  // as when Kinesis stops a page at its 10 MB
        ShardScanner scanner = new ShardScanner(kinesis, 2);

        ShardPosition end = scanner.advance(S0, ShardPosition.TRIM_HORIZON, OffsetPlanner.NO_BOUND, null);

        assertThat(end).isEqualTo(ShardPosition.after("102"));
    }

    @Test
    void theScannerClosesAShardOnlyWhenItsLastPageIsRead() {
        List<String> sequence = puts("a1", "a2");
        kinesis.close(S0);
        ShardScanner scanner = new ShardScanner(kinesis, 10_000);

        assertThat(scanner.advance(S0, ShardPosition.TRIM_HORIZON, 1, null))
                .isEqualTo(ShardPosition.after(sequence.get(0)));
        assertThat(scanner.advance(S0, ShardPosition.TRIM_HORIZON, 2, null))
                .isEqualTo(ShardPosition.closedAfter(sequence.get(1)));
        assertThat(scanner.advance(S0, ShardPosition.after(sequence.get(1)), 5, null))
                .isEqualTo(ShardPosition.closedAfter(sequence.get(1)));
    }

    @Test
    void aRangeIsReadExactlyAcrossPagesHoweverMuchTheShardHasGained() {
        List<String> sequence = puts("a1", "a2", "a3", "a4", "a5", "a6");
        kinesis.pageSize = 2;

        List<InternalRow> rows = readAll(new ShardRange(S0, ShardPosition.after(sequence.get(0)), sequence.get(4)));

        assertThat(rows).extracting(row -> new String(row.getBinary(0), StandardCharsets.UTF_8))
                .containsExactly("a2", "a3", "a4", "a5");
        InternalRow first = rows.get(0);
        assertThat(first.getUTF8String(1).toString()).isEqualTo("key-a2");
        assertThat(first.getUTF8String(2).toString()).isEqualTo("the-stream");
        assertThat(first.getUTF8String(3).toString()).isEqualTo(S0);
        assertThat(first.getUTF8String(4).toString()).isEqualTo(sequence.get(1));
        assertThat(first.getLong(5)).isEqualTo(Instant.ofEpochMilli(1_700_000_000_001L).toEpochMilli() * 1_000);
    }

    @Test
    void aRangeWhoseLastRecordIsGoneFailsRatherThanReadSomethingElse() {
        puts("a1", "a2");
        kinesis.close(S0);

        assertThatThrownBy(() -> readAll(new ShardRange(S0, ShardPosition.TRIM_HORIZON, "500")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot read the planned range shardId-000000000000 at the trim horizon up to 500: the shard ended");
    }

    private List<InternalRow> readAll(ShardRange range) {
        List<InternalRow> rows = new ArrayList<>();
        try (ShardRangeReader reader = new ShardRangeReader(kinesis, "the-stream", range, 10_000)) {
            while (reader.next()) {
                rows.add(reader.get().copy());
            }
        }
        return rows;
    }

    private static List<String> data(List<Record> records) {
        return records.stream().map(record -> record.data().asUtf8String()).toList();
    }
}
