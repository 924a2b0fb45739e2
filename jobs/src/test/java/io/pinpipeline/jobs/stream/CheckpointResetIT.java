package io.pinpipeline.jobs.stream;

import static io.pinpipeline.jobs.testing.DatasetAssert.assertDatasetEquals;
import static io.pinpipeline.jobs.testing.TestData.row;
import static io.pinpipeline.jobs.testing.TestData.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.jobs.clean.Quarantine;
import io.pinpipeline.jobs.clean.RawRecords;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.Columns;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.testing.LocalLake;
import io.pinpipeline.jobs.testing.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streaming job's checkpoint deleted between two runs (as an operator resets a stuck query, or {@code demo
 * --stream} starts afresh): the new query reads the stream from the start again, with batch ids from 0. Bad records
 * of both runs are in quarantine, each once, and the table is the same. The stream is Spark's file source over
 * JSON files of {@code raw, source} records, standing in for Kinesis, whose records it carries as the Kinesis
 * source gives them.
 */
class CheckpointResetIT {
    static final String TABLE = RecordKind.USER.streamingTable(LocalLake.PREFIX);

    @TempDir
    Path root;

    private static String record(int sequence, String raw) {
        return "{\"raw\": " + quoted(raw) + ", \"source\": \"kinesis:streaming-p-user/shardId-000000000000/" + sequence + "\"}";
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static Dataset<Row> stream(Path folder) {
        StructType records = new StructType().add(Columns.RAW, DataTypes.StringType).add(Columns.SOURCE, DataTypes.StringType);
        return TestSpark.session().readStream().schema(records).json(folder.toString());
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Test
    void badRecordsOfBothRunsAreKeptOnceAfterTheCheckpointIsReset() throws IOException {
        Lake lake = new LocalLake(root).lake();
        Path streamFolder = Files.createDirectories(root.resolve("stream"));
        Files.write(streamFolder.resolve("1.json"), List.of(
                record(1, "{\"ind\": 1, \"first_name\": \"Ann\"}"), record(2, "not json")));
        StreamingRun.Report first = StreamingRun.run(lake, RecordKind.USER, TABLE, stream(streamFolder), "the test stream",
                StreamTrigger.AVAILABLE_NOW);
        assertThat(List.of(first.read(), first.upserted(), first.quarantined())).containsExactly(2L, 1L, 1L);

        deleteTree(Path.of(lake.checkpoint(StreamingRun.queryName(RecordKind.USER))));
        Files.write(streamFolder.resolve("2.json"), List.of(
                record(3, "{\"ind\": 2, \"first_name\": \"Bo\"}"), record(4, "{\"ind\": -2}")));
        StreamingRun.Report second = StreamingRun.run(lake, RecordKind.USER, TABLE, stream(streamFolder),
                "the test stream", StreamTrigger.AVAILABLE_NOW);

        assertThat(List.of(second.read(), second.upserted(), second.quarantined())).containsExactly(4L, 2L, 2L);
        assertDatasetEquals(table("kind STRING, reason STRING, raw STRING, source STRING",
                        row("user", RawRecords.NOT_AN_OBJECT, "not json", "kinesis:streaming-p-user/shardId-000000000000/2"),
                        row("user", RawRecords.BAD_KEY, "{\"ind\": -2}", "kinesis:streaming-p-user/shardId-000000000000/4")),
                lake.read(Quarantine.TABLE).select("kind", "reason", "raw", "source"));
        assertDatasetEquals(table("ind BIGINT, user_name STRING", row(1L, "Ann"), row(2L, "Bo")),
                lake.read(TABLE).select("ind", "user_name"));
    }
}
