package io.pinpipeline.toolkit.cli;

import static io.pinpipeline.jobs.testing.DatasetAssert.assertDatasetEquals;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.delta.tables.DeltaTable;
import io.pinpipeline.jobs.batch.CleaningRun;
import io.pinpipeline.jobs.clean.Quarantine;
import io.pinpipeline.jobs.clean.RawRecords;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.toolkit.commands.AirflowDemo;
import io.pinpipeline.toolkit.commands.Repository;
import io.pinpipeline.toolkit.emulator.Backoff;
import io.pinpipeline.toolkit.emulator.KinesisSink;
import io.pinpipeline.toolkit.emulator.LandingSink;
import io.pinpipeline.toolkit.emulator.Post;
import io.pinpipeline.toolkit.emulator.PostGenerator;
import io.pinpipeline.toolkit.local.LocalAirflow;
import io.pinpipeline.toolkit.local.LocalKinesis;
import io.pinpipeline.toolkit.local.LocalSpark;
import io.pinpipeline.toolkit.settings.ToolkitSettings;
import io.pinpipeline.toolkit.testing.KinesisStreams;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The real streaming DAG, run by real Airflow against the local Databricks workspace, each task a driver JVM of the
 * uploaded jar reading a real kinesis-local: what {@code ./pipeline airflow-demo --stream} does, over two logical
 * dates. Before each DAG run, that date's posts go to the three streams through the kinesis sink, with a bad record
 * in each stream; the second slice also repeats a few posts of the first, as a sink that retries a call whose answer
 * was lost sends them again. The streaming tables must equal, row for row, the batch lane's silver (run in this JVM)
 * for all the posts, and each DAG run must have read only what arrived since the one before.
 *
 * <p>Few posts: the time goes into the six cold driver JVMs, not the data.
 */
class StreamingDagIT {
    static final int POSTS = 40;
    static final long SEED = 17;
    /** The first slice's posts that the second sends again. */
    static final int RESENT = 5;
    static final LocalDate FIRST_DAY = LocalDate.of(2024, 5, 1);
    static final LocalDate SECOND_DAY = LocalDate.of(2024, 5, 2);
    static final List<String> JOBS = List.of("StreamPins", "StreamGeo", "StreamUsers");
    /** One bad record a stream and slice, as a producer other than the emulator may send. */
    static final Map<LocalDate, Map<RecordKind, String>> BAD = Map.of(
            FIRST_DAY, Map.of(RecordKind.PIN, "not json", RecordKind.GEO, "[1,2]", RecordKind.USER, "{\"ind\":\"x\"}"),
            SECOND_DAY, Map.of(RecordKind.PIN, "{\"ind\":-1}", RecordKind.GEO, "{\"ind\":\"x\"}", RecordKind.USER, "42"));

    // Kept when the test fails: the Airflow logs and the driver logs of the runs are in it.
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path home;
    @TempDir
    Path referenceHome;

    @Test
    void theStreamingDagDrainsEachSliceOnceIntoTablesEqualToTheBatchSilver() {
        List<Post> first = new PostGenerator(SEED, FIRST_DAY).posts(POSTS).toList();
        List<Post> second = Stream.concat(new PostGenerator(SEED, SECOND_DAY).posts(POSTS), first.stream().limit(RESENT))
                .toList();
        Map<LocalDate, List<Post>> slices = Map.of(FIRST_DAY, first, SECOND_DAY, second);
        String prefix = Settings.load("local", Map.of()).prefix();
        AirflowDemo.Result result;
        try (LocalKinesis kinesis = LocalKinesis.start("us-east-1", home.resolve("kinesis-local.log"));
             KinesisClient client = kinesis.client()) {
            KinesisStreams.create(kinesis, prefix);
            ToolkitSettings settings = ToolkitSettings.load("local", Map.of("home", home.toString(),
                    "kinesis.endpoint", kinesis.endpoint().toString()));
            result = AirflowDemo.run(settings, Repository.root(), home, home.resolve("local-data/airflow-demo"),
                    new AirflowDemo.DagRuns(AirflowDemo.STREAMING_DAG, List.of(FIRST_DAY, SECOND_DAY), day -> {
                        try (KinesisSink sink = new KinesisSink(client, prefix, Backoff.DEFAULT)) {
                            sink.send(slices.get(day));
                        }
                        BAD.get(day).forEach((kind, record) -> client.putRecord(request -> request
                                .streamName(kind.stream(prefix)).partitionKey("bad").data(SdkBytes.fromUtf8String(record))));
                    }), new PrintStream(System.out, true, StandardCharsets.UTF_8));
        }

        assertThat(result.dagRuns()).extracting(LocalAirflow.DagRun::logicalDate, LocalAirflow.DagRun::state)
                .containsExactly(tuple(FIRST_DAY, "success"), tuple(SECOND_DAY, "success"));
        // Each task one Databricks run of its streaming job, draining what is there and stopping; the first date's
        // three before the second's.
        List<AirflowDemo.DatabricksRun> runs = result.databricksRuns();
        assertThat(runs).allSatisfy(run -> {
            assertThat(run.state()).as(run.toString()).isEqualTo("TERMINATED SUCCESS");
            assertThat(run.runName()).startsWith(AirflowDemo.STREAMING_DAG + ".");
            assertThat(run.parameters()).containsExactly("--env", "local", "--trigger", "available-now");
        });
        List<String> expected = new ArrayList<>();
        for (LocalDate day : List.of(FIRST_DAY, SECOND_DAY)) {
            for (String job : JOBS) {
                expected.add(day + " " + AirflowDagIT.snakeCase(job) + " io.pinpipeline.jobs.stream." + job);
            }
        }
        assertThat(runs).extracting(run -> run.runName().split(" ")[1] + " " + run.runName().split("[. ]")[1] + " "
                + run.mainClass()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(runs.subList(0, JOBS.size())).allMatch(run -> run.runName().endsWith(" " + FIRST_DAY));

        Settings streamed = Settings.load("local", Map.of("home", home.toString()));
        Settings batch = Settings.load("local", Map.of("home", referenceHome.toString()));
        for (LocalDate day : List.of(FIRST_DAY, SECOND_DAY)) {
            new LandingSink(Path.of(batch.landingRoot()), prefix, SEED, day).write(slices.get(day).stream());
        }
        SparkSession spark = LocalSpark.start();
        try {
            Lake streamLake = new Lake(spark, streamed);
            Lake batchLake = new Lake(spark, batch);
            long everyKey = distinctKeys(Stream.concat(first.stream(), second.stream()).toList());
            for (RecordKind kind : RecordKind.values()) {
                CleaningRun.run(batchLake, kind, LandingDate.ALL);
                String table = kind.streamingTable(prefix);
                assertThat(streamLake.read(table).count()).as(table).isEqualTo(everyKey);
                assertDatasetEquals(batchLake.read(kind.silverTable()), streamLake.read(table));
                // Nothing read twice: each DAG run's MERGE took the distinct keys of its own slice only, the repeats
                // of the first slice's posts in the second among them.
                assertThat(mergedSourceRows(spark, streamLake, table)).as(table)
                        .containsExactly(distinctKeys(first), distinctKeys(second));
            }
            assertThat(streamLake.read(Quarantine.TABLE).select("kind", "reason", "raw").as(
                    Encoders.tuple(Encoders.STRING(), Encoders.STRING(), Encoders.STRING())).collectAsList())
                    .extracting(row -> row._1() + " | " + row._2() + " | " + row._3())
                    .containsExactlyInAnyOrder(
                            "pin | " + RawRecords.NOT_AN_OBJECT + " | not json",
                            "geo | " + RawRecords.NOT_AN_OBJECT + " | [1,2]",
                            "user | " + RawRecords.BAD_KEY + " | {\"ind\":\"x\"}",
                            "pin | " + RawRecords.BAD_KEY + " | {\"ind\":-1}",
                            "geo | " + RawRecords.BAD_KEY + " | {\"ind\":\"x\"}",
                            "user | " + RawRecords.NOT_AN_OBJECT + " | 42");
            // Each bad record was handed to the quarantine once: one row in each of the six commits that added one.
            assertThat(mergedSourceRows(spark, streamLake, Quarantine.TABLE)).containsExactly(1L, 1L, 1L, 1L, 1L, 1L);
        } finally {
            spark.stop();
        }
    }

    private static long distinctKeys(List<Post> posts) {
        return posts.stream().map(Post::ind).distinct().count();
    }

    /** The source rows of each MERGE into a table, oldest first, from its Delta history. */
    private static List<Long> mergedSourceRows(SparkSession spark, Lake lake, String table) {
        return DeltaTable.forPath(spark, lake.table(table).location()).history()
                .filter(col("operation").equalTo("MERGE")).orderBy("version")
                .select(col("operationMetrics").getItem("numSourceRows").cast("long")).as(Encoders.LONG())
                .collectAsList();
    }
}
