package io.pinpipeline.jobs.stream;

import static io.pinpipeline.jobs.testing.DatasetAssert.assertDatasetEquals;
import static io.pinpipeline.jobs.testing.TestData.row;
import static io.pinpipeline.jobs.testing.TestData.table;
import static io.pinpipeline.jobs.testing.TestData.utc;
import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.jobs.clean.Quarantine;
import io.pinpipeline.jobs.clean.RawRecords;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.Columns;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.silver.CleaningCounts;
import io.pinpipeline.jobs.testing.LocalLake;
import io.pinpipeline.jobs.testing.TestSpark;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming jobs' micro-batch function on static Datasets: no stream, no Kinesis. */
class MicroBatchTest {
    static final String TABLE = RecordKind.USER.streamingTable(LocalLake.PREFIX);

    @TempDir
    Path root;

    /** Stream records as the source gives them: {@code raw, source}, sources named by sequence number. */
    private static Dataset<Row> records(String... lines) {
        StructType schema = new StructType().add(Columns.RAW, DataTypes.StringType).add(Columns.SOURCE, DataTypes.StringType);
        List<Row> rows = Arrays.stream(lines).map(line -> RowFactory.create(line,
                "kinesis:streaming-x-user/shardId-000000000000/" + (100 + Arrays.asList(lines).indexOf(line)))).toList();
        return TestSpark.session().createDataFrame(rows, schema);
    }

    @Test
    void cleansUpsertsAndQuarantinesAndAReplayChangesNothing() {
        Lake lake = new LocalLake(root).lake();
        Dataset<Row> first = records(
                "{\"ind\":1,\"first_name\":\"Ann\",\"last_name\":\"Lee\",\"age\":\"34\",\"date_joined\":\"2016-01-02 03:04:05\"}",
                "{\"ind\":1,\"first_name\":\"Ann\",\"last_name\":\"Lee\",\"age\":\"34\",\"date_joined\":\"2016-01-02 03:04:05\"}",
                "{\"ind\":2,\"first_name\":\"Bo\",\"last_name\":\"Ng\",\"age\":200,\"date_joined\":\"2015:12:31 23:59:59\"}",
                "[1,2]",
                "   ",
                "{\"first_name\":\"no key\"}");

        CleaningCounts counts = MicroBatch.apply(lake, TABLE, RecordKind.USER, first);
        assertThat(counts).isEqualTo(new CleaningCounts(5, 2, 2, 0, 1, 2));
        Dataset<Row> expected = table("ind BIGINT, user_name STRING, age INT, date_joined TIMESTAMP",
                row(1L, "Ann Lee", 34, utc("2016-01-02T03:04:05")),
                row(2L, "Bo Ng", null, utc("2015-12-31T23:59:59")));
        assertDatasetEquals(expected, lake.read(TABLE));
        Dataset<Row> quarantine = lake.read(Quarantine.TABLE).select("kind", "reason", "raw", "source", "run_date");
        Dataset<Row> expectedQuarantine = table("kind STRING, reason STRING, raw STRING, source STRING, run_date DATE",
                row("user", RawRecords.NOT_AN_OBJECT, "[1,2]", "kinesis:streaming-x-user/shardId-000000000000/103", null),
                row("user", RawRecords.MISSING_KEY, "{\"first_name\":\"no key\"}",
                        "kinesis:streaming-x-user/shardId-000000000000/105", null));
        assertDatasetEquals(expectedQuarantine, quarantine);

        // The same micro-batch again, as after a crash before its commit: nothing changes, nothing is added.
        assertThat(MicroBatch.apply(lake, TABLE, RecordKind.USER, first))
                .isEqualTo(new CleaningCounts(5, 2, 0, 0, 1, 2));
        assertDatasetEquals(expected, lake.read(TABLE));
        assertDatasetEquals(expectedQuarantine, lake.read(Quarantine.TABLE).select("kind", "reason", "raw", "source", "run_date"));

        // The next micro-batch: a repeat of a known key (identical data) changes nothing; a new key is inserted.
        Dataset<Row> second = records(
                "{\"ind\":2,\"first_name\":\"Bo\",\"last_name\":\"Ng\",\"age\":200,\"date_joined\":\"2015:12:31 23:59:59\"}",
                "{\"ind\":3,\"first_name\":\"Cy\",\"last_name\":\"Oz\",\"age\":40,\"date_joined\":\"2017-06-30T10:00:00Z\"}");
        assertThat(MicroBatch.apply(lake, TABLE, RecordKind.USER, second))
                .isEqualTo(new CleaningCounts(2, 2, 1, 0, 0, 0));
        assertDatasetEquals(expected.union(table("ind BIGINT, user_name STRING, age INT, date_joined TIMESTAMP",
                row(3L, "Cy Oz", 40, utc("2017-06-30T10:00:00")))), lake.read(TABLE));
    }

    private static String user(long ind, String firstName, int age) {
        return "{\"ind\":" + ind + ",\"first_name\":\"" + firstName + "\",\"last_name\":\"Lee\",\"age\":" + age
                + ",\"date_joined\":\"2016-01-02 03:04:05\"}";
    }

    @Test
    void aMergeNarrowedToTheBatchsKeysStillFindsAndReplacesARowInAnOlderFile() {
        Lake lake = new LocalLake(root).lake();
        // three micro-batches of new keys, far apart: a file (or two) each, with their own key range
        MicroBatch.apply(lake, TABLE, RecordKind.USER, records(user(1, "A", 30), user(2, "B", 31)));
        MicroBatch.apply(lake, TABLE, RecordKind.USER, records(user(100, "C", 32), user(101, "D", 33)));
        MicroBatch.apply(lake, TABLE, RecordKind.USER, records(user(200, "E", 34), user(201, "F", 35)));
        // a changed row of the second batch's file, and a new key: the MERGE reads only the files whose key range
        // holds 100 or 300, and must still find 100 there (a miss would insert it twice)
        CleaningCounts counts = MicroBatch.apply(lake, TABLE, RecordKind.USER, records(user(100, "C", 40), user(300, "G", 36)));

        assertThat(counts).isEqualTo(new CleaningCounts(2, 2, 1, 1, 0, 0));
        assertDatasetEquals(table("ind BIGINT, user_name STRING, age INT, date_joined TIMESTAMP",
                row(1L, "A Lee", 30, utc("2016-01-02T03:04:05")), row(2L, "B Lee", 31, utc("2016-01-02T03:04:05")),
                row(100L, "C Lee", 40, utc("2016-01-02T03:04:05")), row(101L, "D Lee", 33, utc("2016-01-02T03:04:05")),
                row(200L, "E Lee", 34, utc("2016-01-02T03:04:05")), row(201L, "F Lee", 35, utc("2016-01-02T03:04:05")),
                row(300L, "G Lee", 36, utc("2016-01-02T03:04:05"))), lake.read(TABLE));
    }

    @Test
    void theBatchLaneReplacesOnlyItsOwnQuarantineRows() {
        LocalLake local = new LocalLake(root);
        Lake lake = local.lake();
        MicroBatch.apply(lake, TABLE, RecordKind.USER, records("not json"));
        local.land(RecordKind.USER, "2024-05-01", "part-0.json", List.of("{\"ind\":\"x\"}"));
        io.pinpipeline.jobs.batch.CleanUsers.run(lake, io.pinpipeline.jobs.settings.LandingDate.parse("all"));
        assertThat(lake.read(Quarantine.TABLE).select("raw").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
                .containsExactlyInAnyOrder("not json", "{\"ind\":\"x\"}");
    }
}
