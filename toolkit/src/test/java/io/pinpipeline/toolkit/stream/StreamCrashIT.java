package io.pinpipeline.toolkit.stream;

import static io.pinpipeline.jobs.testing.DatasetAssert.assertDatasetEquals;
import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.jobs.batch.CleaningRun;
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
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * StreamPins in its own JVM, killed with SIGKILL in the middle of a micro-batch (its offsets written, its commit
 * not) three times while posts keep arriving, and restarted each time: in the end its table holds every post once,
 * row for row what the batch lane makes of the same posts.
 */
class StreamCrashIT {
    static final LocalDate DAY = LocalDate.of(2024, 5, 1);
    static final String PREFIX = "crash";
    static final int ROUNDS = 4;
    static final int POSTS_A_ROUND = 400;
    static final Duration PATIENCE = Duration.ofMinutes(3);

    @TempDir
    Path root;

    @Test
    void killedThreeTimesMidBatchItLosesNothingAndDoublesNothing() throws Exception {
        List<Post> posts = new PostGenerator(33, DAY).posts(ROUNDS * POSTS_A_ROUND).toList();
        try (LocalKinesis kinesis = LocalKinesis.start("us-east-1", root.resolve("kinesis-local.log"));
             KinesisClient client = kinesis.client();
             KinesisSink sink = new KinesisSink(client, PREFIX, Backoff.DEFAULT)) {
            for (RecordKind kind : RecordKind.values()) {
                kinesis.createStream(kind.stream(PREFIX), 4);
            }
            List<String> job = List.of("run", "StreamPins", "--trigger", "processing-time=200ms",
                    "--set", "prefix=" + PREFIX, "--set", "home=" + root,
                    "--set", "kinesis.endpoint=" + kinesis.endpoint());
            Path checkpoint = root.resolve("local-data/lake/_checkpoints/stream-pin");
            for (int round = 0; round < ROUNDS - 1; round++) {
                sink.send(posts.subList(round * POSTS_A_ROUND, (round + 1) * POSTS_A_ROUND));
                Path log = root.resolve("stream-" + round + ".log");
                Process streaming = start(job, log);
                try {
                    killMidBatch(streaming, checkpoint, log);
                } finally {
                    streaming.destroyForcibly().waitFor();
                }
            }
            sink.send(posts.subList((ROUNDS - 1) * POSTS_A_ROUND, ROUNDS * POSTS_A_ROUND));

            // The last restart, caught up with everything: then the table is compared with the batch lane's.
            Settings settings = Settings.load("local", Map.of("prefix", PREFIX, "home", root.toString(),
                    "kinesis.endpoint", kinesis.endpoint().toString()));
            Settings batch = Settings.load("local", Map.of("prefix", PREFIX, "home", root.resolve("batch").toString()));
            SparkSession spark = LocalSpark.start();
            try {
                Lake lake = new Lake(spark, settings);
                StreamingRun.run(lake, settings, RecordKind.PIN, StreamTrigger.AVAILABLE_NOW);
                new LandingSink(Path.of(batch.landingRoot()), PREFIX, 33, DAY).write(posts.stream());
                Lake batchLake = new Lake(spark, batch);
                CleaningRun.run(batchLake, RecordKind.PIN, LandingDate.of(DAY));
                Dataset<Row> streamed = lake.read(RecordKind.PIN.streamingTable(PREFIX));
                assertThat(streamed.count()).isEqualTo(posts.stream().map(Post::ind).distinct().count());
                assertDatasetEquals(batchLake.read(RecordKind.PIN.silverTable()), streamed);
            } finally {
                spark.stop();
            }
        }
    }

    /** Waits until a micro-batch has started (its offsets logged) and not finished (no commit yet), then SIGKILL. */
    private static void killMidBatch(Process streaming, Path checkpoint, Path log) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!streaming.isAlive()) {
                throw new AssertionError("the streaming JVM ended by itself: " + Files.readString(log));
            }
            long started = lastBatch(checkpoint.resolve("offsets"));
            if (started >= 0 && lastBatch(checkpoint.resolve("commits")) < started) {
                streaming.destroyForcibly();  // SIGKILL: no shutdown hook, no clean stop
                streaming.waitFor(30, TimeUnit.SECONDS);
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no micro-batch started in " + PATIENCE);
    }

    private static long lastBatch(Path log) throws IOException {
        if (!Files.isDirectory(log)) {
            return -1;
        }
        try (var files = Files.list(log)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.matches("\\d+"))
                    .mapToLong(Long::parseLong).max().orElse(-1);
        }
    }

    /** The toolkit's CLI in a child JVM on this test's classpath and JVM options (the --add-opens Spark needs). */
    private static Process start(List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g"));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> option.startsWith("--add-opens")).forEach(command::add);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.pinpipeline.toolkit.cli.Cli"));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
