package io.pinpipeline.toolkit.commands;

import io.pinpipeline.jobs.batch.CleaningRun;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.jobs.stream.StreamTrigger;
import io.pinpipeline.jobs.stream.StreamingRun;
import io.pinpipeline.toolkit.cli.Options;
import io.pinpipeline.toolkit.cli.RunFailedException;
import io.pinpipeline.toolkit.emulator.Post;
import io.pinpipeline.toolkit.emulator.PostGenerator;
import io.pinpipeline.toolkit.emulator.PostSink;
import io.pinpipeline.toolkit.emulator.Sinks;
import io.pinpipeline.toolkit.local.LocalKinesis;
import io.pinpipeline.toolkit.local.LocalServers;
import io.pinpipeline.toolkit.local.LocalSpark;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

/**
 * {@code ./pipeline bench --stream --drain N [--shards S]}: the streaming lane's own capacity, apart from how fast
 * the local server takes puts. N records in all, a third to each of the three streams of a fresh kinesis-local (the
 * emulator's posts, about a tenth of them repeats of an earlier key, and one bad record in a thousand), are put
 * first, not timed; then StreamPins, StreamGeo and StreamUsers each run with {@code --trigger available-now}, one
 * after another, timed from the query's start to its stop, every row committed to Delta. The same posts then go
 * through the batch lane, whose silver tables the streaming tables must equal. The last line is
 * {@code drained: N records in S s (R records/s)}.
 */
public final class StreamDrainBench implements Command {
    /** One record in this many is bad: not JSON, not an object, or a key that is no number, by turns. */
    static final int BAD_EVERY = 1_000;

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public boolean takes(List<String> args) {
        return Bench.Variant.askedBy(args) == Bench.Variant.STREAM_DRAIN;
    }

    @Override
    public String usage() {
        return """
                  bench    --stream --drain N [--shards S]     N records put into the 3 streams, then drained (available-now)
                """;
    }

    /** One stream's drain: its run's report, and where the time went by Spark's own phases, summed. */
    record Drain(RecordKind kind, StreamingRun.Report report, Map<String, Long> phases) {
        double seconds() {
            return report.millis() / 1000.0;
        }

        /** The driver's reads of the stream (finding what is available, with the records kept for the tasks). */
        double kinesisSeconds() {
            return phases.getOrDefault("latestOffset", 0L) / 1000.0;
        }
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Options options = Options.parse(Flags.without(args, "--stream"), "drain", "seed", "shards");
        int records = options.positiveInt("drain", 30_000);
        int shards = options.positiveInt("shards", LocalServers.SHARDS);
        Settings base = Bench.inFreshFolder(options, "bench-drain");
        Path root = Path.of(base.landingRoot()).getParent();
        try (LocalKinesis kinesis = LocalKinesis.start(base.kinesis().region(), root.resolve("kinesis-local.log"));
             KinesisClient client = kinesis.client()) {
            Settings settings = options.settingsWith(Map.of("prefix", "drain", "landing.root", base.landingRoot(),
                    "lake.root", base.lakeRoot(), "checkpoints.root", root.resolve("checkpoints").toString(),
                    "kinesis.endpoint", kinesis.endpoint().toString())).jobs();
            Map<RecordKind, Integer> bad = badRecords(records);
            List<Post> posts = new PostGenerator(options.seed(), Bench.BENCH_DAY)
                    .posts(records / 3 - records / 3 / BAD_EVERY).toList();
            long preloadStart = System.nanoTime();
            for (RecordKind kind : RecordKind.values()) {
                kinesis.createStream(kind.stream(settings.prefix()), shards);
            }
            preload(client, settings.prefix(), posts, bad);
            out.printf("put %d records into 3 streams of %d shards, each %d posts and %s bad records, in %.1f s (not timed)%n",
                    records, shards, posts.size(), bad.values(), (System.nanoTime() - preloadStart) / 1e9);

            SparkSession spark = LocalSpark.start();
            try {
                List<Drain> drains = drainEach(new Lake(spark, settings), settings, spark);
                Lake batch = new Lake(spark, settings);
                try (PostSink landing = Sinks.open(Sinks.LANDING, settings.prefix(),
                        Emulation.landingZone(settings, options.seed(), Bench.BENCH_DAY))) {
                    landing.send(posts);
                    landing.finish();
                }
                List<String> unequal = new ArrayList<>();
                for (RecordKind kind : RecordKind.values()) {
                    CleaningRun.run(batch, kind, LandingDate.of(Bench.BENCH_DAY));
                    if (!equal(batch.read(kind.streamingTable(settings.prefix())), batch.read(kind.silverTable()))) {
                        unequal.add(kind.label());
                    }
                }
                print(drains, unequal, out);
                if (!unequal.isEmpty()) {
                    throw new RunFailedException("bench --drain: the streaming tables of " + unequal
                            + " differ from the batch lane's silver for the same posts");
                }
            } finally {
                spark.stop();
            }
        }
    }

    /**
     * How many bad records each stream gets of N records in all: one in {@link #BAD_EVERY} of its third, and one more
     * for each of the first {@code N mod 3} streams, so that the three hold exactly N (the posts are the same in
     * each: a post's three records).
     */
    static Map<RecordKind, Integer> badRecords(int records) {
        Map<RecordKind, Integer> bad = new EnumMap<>(RecordKind.class);
        RecordKind[] kinds = RecordKind.values();
        for (int i = 0; i < kinds.length; i++) {
            bad.put(kinds[i], records / 3 / BAD_EVERY + (i < records % 3 ? 1 : 0));
        }
        return bad;
    }

    /** Each stream's records: the posts through the emulator's kinesis sink, then its bad records. */
    private static void preload(KinesisClient client, String prefix, List<Post> posts, Map<RecordKind, Integer> bad) {
        try (PostSink sink = Sinks.open(Sinks.KINESIS, prefix, new Sinks.Kinesis(client))) {
            for (int from = 0; from < posts.size(); from += sink.batchSize()) {
                sink.send(posts.subList(from, Math.min(posts.size(), from + sink.batchSize())));
            }
        }
        for (RecordKind kind : RecordKind.values()) {
            List<String> badRecords = new ArrayList<>();
            for (int i = 0; i < bad.get(kind); i++) {
                badRecords.add(switch (i % 3) {
                    case 0 -> "not json " + i;
                    case 1 -> "[" + i + "]";
                    default -> "{\"ind\": \"bad-" + i + "\"}";
                });
            }
            putAll(client, kind.stream(prefix), badRecords);
        }
    }

    /** Puts raw records, again for the entries a call refused, until all are in. */
    private static void putAll(KinesisClient client, String stream, List<String> data) {
        for (int from = 0; from < data.size(); from += 500) {
            List<PutRecordsRequestEntry> pending = new ArrayList<>();
            for (int i = from; i < Math.min(data.size(), from + 500); i++) {
                pending.add(PutRecordsRequestEntry.builder().partitionKey("bad-" + i)
                        .data(SdkBytes.fromUtf8String(data.get(i))).build());
            }
            for (int tries = 1; !pending.isEmpty(); tries++) {
                List<PutRecordsRequestEntry> sending = pending;
                PutRecordsResponse response = client.putRecords(request -> request.streamName(stream).records(sending));
                List<PutRecordsRequestEntry> failed = new ArrayList<>();
                for (int i = 0; i < sending.size(); i++) {
                    if (response.records().get(i).errorCode() != null) {
                        failed.add(sending.get(i));
                    }
                }
                if (!failed.isEmpty() && tries == 10) {
                    throw new RunFailedException("bench --drain: kinesis-local refused " + failed.size() + " records 10 times");
                }
                pending = failed;
                if (!failed.isEmpty()) {
                    LockSupport.parkNanos(100_000_000L * tries);
                }
            }
        }
    }

    /** Each kind's streaming job with an available-now trigger, one after another, with Spark's phases of each. */
    private static List<Drain> drainEach(Lake lake, Settings settings, SparkSession spark) {
        Map<String, Long> phases = new ConcurrentHashMap<>();
        StreamingQueryListener listener = new StreamingQueryListener() {
            @Override
            public void onQueryStarted(QueryStartedEvent event) {
            }

            @Override
            public void onQueryProgress(QueryProgressEvent event) {
                event.progress().durationMs().forEach((phase, millis) -> phases.merge(phase, millis, Long::sum));
            }

            @Override
            public void onQueryIdle(QueryIdleEvent event) {
            }

            @Override
            public void onQueryTerminated(QueryTerminatedEvent event) {
            }
        };
        spark.streams().addListener(listener);
        List<Drain> drains = new ArrayList<>();
        try {
            for (RecordKind kind : RecordKind.values()) {
                phases.clear();
                StreamingRun.Report report = StreamingRun.run(lake, settings, kind, StreamTrigger.AVAILABLE_NOW);
                // the last progress event is posted after the query stops: wait for it before taking the phases
                LockSupport.parkNanos(500_000_000L);
                drains.add(new Drain(kind, report, Map.copyOf(phases)));
            }
        } finally {
            spark.streams().removeListener(listener);
        }
        return drains;
    }

    /** Two tables hold the same rows, each as many times: nothing missing, nothing extra, nothing doubled. */
    static boolean equal(Dataset<Row> streamed, Dataset<Row> silver) {
        return streamed.exceptAll(silver).isEmpty() && silver.exceptAll(streamed).isEmpty();
    }

    private static void print(List<Drain> drains, List<String> unequal, PrintStream out) {
        out.printf("%n%-8s %9s %9s %11s %8s %11s %12s %12s%n", "stream", "records", "upserted", "quarantined",
                "seconds", "records/s", "kinesis s", "the rest s");
        long total = 0;
        double seconds = 0;
        double kinesis = 0;
        for (Drain drain : drains) {
            StreamingRun.Report report = drain.report();
            out.printf("%-8s %9d %9d %11d %8.1f %11.0f %12.1f %12.1f%n", drain.kind().label(), report.read(),
                    report.upserted(), report.quarantined(), drain.seconds(), report.read() / drain.seconds(),
                    drain.kinesisSeconds(), drain.seconds() - drain.kinesisSeconds());
            total += report.read();
            seconds += drain.seconds();
            kinesis += drain.kinesisSeconds();
        }
        out.printf("without the driver's reads of kinesis-local (%.1f s): %.0f records/s%n", kinesis,
                total / Math.max(0.001, seconds - kinesis));
        out.printf("streaming tables equal to the batch lane's silver: %s%n", unequal.isEmpty() ? "yes" : "no: " + unequal);
        out.printf("drained: %d records in %.1f s (%.0f records/s)%n", total, seconds, total / seconds);
    }
}
