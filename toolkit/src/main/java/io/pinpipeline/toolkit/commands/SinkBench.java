package io.pinpipeline.toolkit.commands;

import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.toolkit.cli.Options;
import io.pinpipeline.toolkit.emulator.Emulator;
import io.pinpipeline.toolkit.emulator.PostGenerator;
import io.pinpipeline.toolkit.emulator.PostSink;
import io.pinpipeline.toolkit.emulator.Sinks;
import io.pinpipeline.toolkit.local.KafkaPath;
import io.pinpipeline.toolkit.local.KinesisProxyHandler;
import io.pinpipeline.toolkit.local.LocalGateway;
import io.pinpipeline.toolkit.local.LocalKinesis;
import io.pinpipeline.toolkit.local.LocalServers;
import io.pinpipeline.toolkit.local.Loopback;
import io.pinpipeline.toolkit.settings.ToolkitSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * {@code ./pipeline bench-sinks [--posts N]}: posts a second through each sink on loopback, each against its real
 * local server started fresh under {@code <lake.root>/../bench-sinks} (a {@link WorkFolder}): landing files;
 * kafka-rest through the local gateway into a Kafka broker process; kinesis PutRecords and the kinesis-api proxy
 * form into kinesis-local.
 */
public final class SinkBench implements Command {
    /** Shards a stream gets here: as many as ./pipeline serve gives them. */
    private static final int SHARDS = LocalServers.SHARDS;

    @Override
    public String name() {
        return "bench-sinks";
    }

    @Override
    public String usage() {
        return """
                  bench-sinks [--posts N]                      posts a second through each emulator sink on loopback
                """;
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Options options = Options.parse(args, "posts", "seed");
        int posts = options.positiveInt("posts", 20_000);
        Settings base = options.jobSettings();
        Path root = WorkFolder.fresh(WorkFolder.besideLake(base, "bench-sinks"), "bench-sinks");
        ToolkitSettings toolkit = ToolkitSettings.load(base.env(), Map.of(
                "landing.root", root.resolve("landing").toString(),
                "local.kafka-data", root.resolve("kafka").toString(),
                "kafka.bootstrap-servers", "127.0.0.1:" + Loopback.freePort()));
        Settings settings = toolkit.jobs();
        Map<String, Emulator.Summary> results = new LinkedHashMap<>();

        long started = System.nanoTime();
        Emulation.toLanding(settings, options.seed(), Bench.BENCH_DAY, posts, out);
        // landing retries nothing: its column says so
        results.put(Sinks.LANDING, new Emulator.Summary(posts, null, (System.nanoTime() - started) / 1e9));

        try (KafkaPath kafka = KafkaPath.open(toolkit, 0, Clock.systemUTC(), Map.of())) {
            results.put(Sinks.KAFKA_REST, measure(Sinks.KAFKA_REST, settings, new Sinks.Http(kafka.gatewayUrl()),
                    options.seed(), posts));
        }

        try (LocalKinesis kinesis = LocalKinesis.start(settings.kinesis().region(), root.resolve("kinesis-local.log"));
             KinesisClient client = kinesis.client()) {
            for (RecordKind kind : RecordKind.values()) {
                kinesis.createStream(kind.stream(settings.prefix()), SHARDS);
            }
            results.put(Sinks.KINESIS, measure(Sinks.KINESIS, settings, new Sinks.Kinesis(client), options.seed(), posts));
            try (LocalGateway gateway = LocalGateway.start(0, Map.of("/streams/", new KinesisProxyHandler(client)))) {
                // One HTTP request a record, as the original: a tenth of the posts is enough to measure it.
                results.put(Sinks.KINESIS_API, measure(Sinks.KINESIS_API, settings, new Sinks.Http(gateway.url()),
                        options.seed(), Math.max(1, posts / 10)));
            }
        }

        out.printf("%n%-12s %10s %10s %12s %10s%n", "sink", "posts", "seconds", "posts/s", "retried");
        results.forEach((sink, summary) -> out.printf("%-12s %10d %10.1f %12.0f %10s%n", sink, summary.posts(),
                summary.seconds(), summary.postsPerSecond(), summary.records() == null ? "-" : summary.records().retried()));
    }

    private static Emulator.Summary measure(String sink, Settings settings, Sinks.Target target, long seed, int posts) {
        try (PostSink opened = Sinks.open(sink, settings.prefix(), target)) {
            return new Emulator(OptionalDouble.empty(), null)
                    .run(new PostGenerator(seed, Bench.BENCH_DAY).posts(posts), posts, opened);
        }
    }

}
