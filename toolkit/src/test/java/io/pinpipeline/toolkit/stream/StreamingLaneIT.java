package io.pinpipeline.toolkit.stream;

import static io.pinpipeline.jobs.testing.DatasetAssert.assertDatasetEquals;
import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.jobs.batch.CleaningRun;
import io.pinpipeline.jobs.clean.Quarantine;
import io.pinpipeline.jobs.clean.RawRecords;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.jobs.stream.StreamTrigger;
import io.pinpipeline.jobs.stream.StreamingRun;
import io.pinpipeline.toolkit.emulator.Backoff;
import io.pinpipeline.toolkit.emulator.KinesisSink;
import io.pinpipeline.toolkit.emulator.LandingSink;
import io.pinpipeline.toolkit.emulator.Post;
import io.pinpipeline.toolkit.emulator.PostGenerator;
import io.pinpipeline.toolkit.local.LocalKinesis;
import io.pinpipeline.toolkit.local.LocalSpark;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The streaming lane end to end: the emulator's kinesis sink into kinesis-local, then StreamPins, StreamGeo and
 * StreamUsers with an available-now trigger: their tables equal the batch lane's silver for the same posts, and the
 * bad records are in quarantine, each once; a second run with nothing new changes nothing.
 */
public class StreamingLaneIT {
    static final LocalDate DAY = LocalDate.of(2024, 5, 1);
    static final int POSTS = 1_500;
    static final String PREFIX = "lane";

    @TempDir
    Path root;

    @Test
    void streamingTablesEqualTheBatchSilverOfTheSamePosts() throws IOException {
        List<Post> posts = new PostGenerator(21, DAY).posts(POSTS).toList();
        Map<RecordKind, String> bad = Map.of(RecordKind.PIN, "not json", RecordKind.GEO, "[1,2]",
                RecordKind.USER, "{\"ind\":\"x\"}");
        try (LocalKinesis kinesis = LocalKinesis.start("us-east-1", root.resolve("kinesis-local.log"));
             KinesisClient client = kinesis.client()) {
            for (RecordKind kind : RecordKind.values()) {
                kinesis.createStream(kind.stream(PREFIX), 8);
            }
            try (KinesisSink sink = new KinesisSink(client, PREFIX, Backoff.DEFAULT)) {
                for (int from = 0; from < POSTS; from += 500) {
                    sink.send(posts.subList(from, from + 500));
                }
            }
            bad.forEach((kind, record) -> client.putRecord(request -> request.streamName(kind.stream(PREFIX))
                    .partitionKey("bad").data(SdkBytes.fromUtf8String(record))));

            Settings streaming = Settings.load("local", Map.of("prefix", PREFIX,
                    "lake.root", root.resolve("stream-lake").toString(),
                    "kinesis.endpoint", kinesis.endpoint().toString()));
            Settings batch = Settings.load("local", Map.of("prefix", PREFIX,
                    "landing.root", root.resolve("landing").toString(),
                    "lake.root", root.resolve("batch-lake").toString()));
            SparkSession spark = LocalSpark.start();
            try {
                Lake streamLake = new Lake(spark, streaming);
                long distinct = posts.stream().map(Post::ind).distinct().count();
                for (RecordKind kind : RecordKind.values()) {
                    StreamingRun.Report report = StreamingRun.run(streamLake, streaming, kind, StreamTrigger.AVAILABLE_NOW);
                    assertThat(report.read()).isEqualTo(POSTS + 1);
                    assertThat(report.upserted()).isEqualTo(distinct);
                    assertThat(report.quarantined()).isEqualTo(1);
                }
                // Nothing new: a second run reads nothing and changes nothing.
                long version = streamLake.read(RecordKind.PIN.streamingTable(PREFIX)).count();
                StreamingRun.Report again = StreamingRun.run(streamLake, streaming, RecordKind.PIN, StreamTrigger.AVAILABLE_NOW);
                assertThat(again.read()).isZero();
                assertThat(streamLake.read(RecordKind.PIN.streamingTable(PREFIX)).count()).isEqualTo(version);

                new LandingSink(root.resolve("landing"), PREFIX, 21, DAY).write(posts.stream());
                Lake batchLake = new Lake(spark, batch);
                for (RecordKind kind : RecordKind.values()) {
                    CleaningRun.run(batchLake, kind, LandingDate.of(DAY));
                    Dataset<Row> streamed = streamLake.read(kind.streamingTable(PREFIX));
                    assertThat(streamed.count()).as(kind.label()).isEqualTo(distinct);
                    assertDatasetEquals(batchLake.read(kind.silverTable()), streamed);
                }
                assertThat(streamLake.read(Quarantine.TABLE).select("kind", "reason", "raw").as(
                        Encoders.tuple(Encoders.STRING(), Encoders.STRING(), Encoders.STRING())).collectAsList())
                        .extracting(tuple -> tuple._1() + " | " + tuple._2() + " | " + tuple._3())
                        .containsExactlyInAnyOrder(
                                "pin | " + RawRecords.NOT_AN_OBJECT + " | not json",
                                "geo | " + RawRecords.NOT_AN_OBJECT + " | [1,2]",
                                "user | " + RawRecords.BAD_KEY + " | {\"ind\":\"x\"}");
                assertThat(streamLake.read(Quarantine.TABLE).select("source").as(Encoders.STRING()).collectAsList())
                        .allMatch(source -> source.matches("kinesis:streaming-lane-(pin|geo|user)/shardId-\\d+/\\d+"));
            } finally {
                spark.stop();
            }
        }
    }
}
