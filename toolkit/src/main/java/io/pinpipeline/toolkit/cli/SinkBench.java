package io.pinpipeline.toolkit.cli;

import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.toolkit.emulator.Backoff;
import io.pinpipeline.toolkit.emulator.Emulator;
import io.pinpipeline.toolkit.emulator.KafkaRestSink;
import io.pinpipeline.toolkit.emulator.KinesisApiSink;
import io.pinpipeline.toolkit.emulator.KinesisSink;
import io.pinpipeline.toolkit.emulator.PostGenerator;
import io.pinpipeline.toolkit.emulator.PostSink;
import io.pinpipeline.toolkit.local.KinesisProxyHandler;
import io.pinpipeline.toolkit.local.LocalKinesis;
import io.pinpipeline.toolkit.local.Loopback;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * {@code ./pipeline bench --sinks [--posts N]}: posts a second through each sink on loopback, each against its real
 * local server started fresh under {@code <lake.root>/../bench-sinks} (a {@link WorkFolder}): landing files;
 * kafka-rest through the local gateway into a Kafka broker process; kinesis PutRecords and the kinesis-api proxy
 * form into kinesis-local.
 */
final class SinkBench {
    /** Shards a stream gets here: as many as ./pipeline serve gives them. */
    private static final int SHARDS = LocalServers.SHARDS;

    private SinkBench() {
    }

    static void run(Options options, PrintStream out) {
        int posts = options.positiveInt("posts", 20_000);
        Settings base = options.settings();
        Path root = WorkFolder.fresh(WorkFolder.besideLake(base, "bench-sinks"), "bench-sinks");
        Settings settings = Settings.load(base.env(), Map.of(
                "landing.root", root.resolve("landing").toString(),
                "local.kafka-data", root.resolve("kafka").toString(),
                "kafka.bootstrap-servers", "127.0.0.1:" + Loopback.freePort()));
        Cli cli = new Cli(out);
        Map<String, Emulator.Summary> results = new LinkedHashMap<>();

        long started = System.nanoTime();
        cli.emulateToLanding(settings, new PostGenerator(options.seed(), Bench.BENCH_DAY), options.seed(), Bench.BENCH_DAY,
                posts);
        results.put("landing", new Emulator.Summary(posts, null, (System.nanoTime() - started) / 1e9));

        try (KafkaPath kafka = KafkaPath.open(settings, 0, Clock.systemUTC(), Map.of())) {
            results.put("kafka-rest", measure(() -> new KafkaRestSink(kafka.gatewayUrl(), settings.prefix(),
                    Backoff.DEFAULT), options.seed(), posts));
        }

        try (LocalKinesis kinesis = LocalKinesis.start(settings.kinesis().region(), root.resolve("kinesis-local.log"));
             KinesisClient client = kinesis.client()) {
            for (RecordKind kind : RecordKind.values()) {
                kinesis.createStream(kind.stream(settings.prefix()), SHARDS);
            }
            results.put("kinesis", measure(() -> new KinesisSink(client, settings.prefix(), Backoff.DEFAULT),
                    options.seed(), posts));
            try (var gateway = io.pinpipeline.toolkit.local.LocalGateway.start(0,
                    Map.of("/streams/", new KinesisProxyHandler(client)))) {
                // One HTTP request a record, as the original: a tenth of the posts is enough to measure it.
                results.put("kinesis-api", measure(() -> new KinesisApiSink(gateway.url(), settings.prefix(),
                        Backoff.DEFAULT), options.seed(), Math.max(1, posts / 10)));
            }
        }

        out.printf("%n%-12s %10s %10s %12s %10s%n", "sink", "posts", "seconds", "posts/s", "retried");
        results.forEach((sink, summary) -> out.printf("%-12s %10d %10.1f %12.0f %10s%n", sink, summary.posts(),
                summary.seconds(), summary.postsPerSecond(), summary.records() == null ? "-" : summary.records().retried()));
    }

    private static Emulator.Summary measure(Supplier<PostSink> sink, long seed, int posts) {
        PostSink opened = sink.get();
        try (opened) {
            return new Emulator(OptionalDouble.empty(), null)
                    .run(new PostGenerator(seed, Bench.BENCH_DAY).posts(posts), posts, opened);
        }
    }

}
