package io.pinpipeline.toolkit.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.jobs.stream.StreamTrigger;
import io.pinpipeline.jobs.stream.StreamingRun;
import io.pinpipeline.toolkit.cli.Options;
import io.pinpipeline.toolkit.emulator.Post;
import io.pinpipeline.toolkit.emulator.PostGenerator;
import io.pinpipeline.toolkit.local.LocalKinesis;
import io.pinpipeline.toolkit.local.LocalServers;
import io.pinpipeline.toolkit.local.LocalSpark;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * {@code ./pipeline bench --stream [--seconds S] [--rate R] [--shards N]}: end-to-end latency of the streaming lane, from
 * {@code PutRecords} to the row being readable in Delta, at steady rates. StreamPins runs with a 500 ms
 * processing-time trigger against a fresh kinesis-local (one stream, 16 shards unless --shards); pins are put at R records a
 * second for S seconds. A record is readable once a micro-batch whose end offset covers its sequence number has
 * committed (Spark reports a batch's progress after its foreachBatch, and so after the Delta commit): its latency
 * is then minus its put time. A rate is sustained when every record it put is readable within 10 s of the last put.
 * The clock: {@code System.nanoTime()} in this JVM, read when the PutRecords call that took the record returned,
 * and again when this JVM's listener hears of the batch that covers it (Spark posts a batch's progress after its
 * foreachBatch has committed to Delta, so the row was readable a little earlier still).
 * Before the figures, 30 s at the first rate warm the JVM up, not measured. The last line is
 * {@code latency at R records/s: p50 X s, p99 Y s}.
 */
public final class StreamBench implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double[] RATES = {250, 500, 1000, 1500};
    private static final long TICK_NANOS = 100_000_000L;
    private static final long DRAIN_NANOS = 10_000_000_000L;
    private static final int WARM_UP_SECONDS = 30;

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public boolean takes(List<String> args) {
        return Bench.Variant.askedBy(args) == Bench.Variant.STREAM;
    }

    @Override
    public String usage() {
        return """
                  bench    --stream [--seconds S] [--rate R] [--shards N]
                                                               streaming latency, PutRecords to readable in Delta
                """;
    }

    /** One put record: where it went and when. */
    private record Put(BigInteger sequence, long putNanos) {
    }

    /** A committed micro-batch: when, and up to which sequence number per shard. */
    private record Commit(long nanos, Map<String, BigInteger> upTo) {
    }

    record Result(double rate, long records, double putRate, double p50, double p99, double max, boolean sustained) {
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Options options = Options.parse(Flags.without(args, "--stream"), "seconds", "rate", "shards");
        int seconds = options.positiveInt("seconds", 20);
        int shards = options.positiveInt("shards", LocalServers.SHARDS);
        double[] rates = options.positiveNumber("rate").isPresent()
                ? new double[] {options.positiveNumber("rate").getAsDouble()} : RATES;
        Settings base = options.jobSettings();
        Path root = WorkFolder.fresh(WorkFolder.besideLake(base, "bench-stream"), "bench --stream");
        List<Result> results = new ArrayList<>();
        try (LocalKinesis kinesis = LocalKinesis.start(base.kinesis().region(), root.resolve("kinesis-local.log"));
             KinesisClient client = kinesis.client()) {
            Settings settings = Settings.load(base.env(), Map.of("prefix", "bench", "home", root.toString(),
                    "kinesis.endpoint", kinesis.endpoint().toString()));
            String stream = RecordKind.PIN.stream(settings.prefix());
            kinesis.createStream(stream, shards);
            out.printf("streaming-%s-pin: %d shards; StreamPins with processing-time=500ms%n", settings.prefix(), shards);
            SparkSession spark = LocalSpark.start();
            ConcurrentLinkedQueue<Commit> commits = new ConcurrentLinkedQueue<>();
            // Where a micro-batch's time goes, summed over the batches (Spark's own breakdown).
            Map<String, Long> phases = new java.util.concurrent.ConcurrentSkipListMap<>();
            java.util.concurrent.atomic.AtomicLong batches = new java.util.concurrent.atomic.AtomicLong();
            spark.streams().addListener(new StreamingQueryListener() {
                @Override
                public void onQueryStarted(QueryStartedEvent event) {
                }

                @Override
                public void onQueryProgress(QueryProgressEvent event) {
                    if (event.progress().sources().length > 0 && event.progress().numInputRows() > 0) {
                        commits.add(new Commit(System.nanoTime(), upTo(event.progress().sources()[0].endOffset())));
                        event.progress().durationMs().forEach((phase, millis) -> phases.merge(phase, millis, Long::sum));
                        batches.incrementAndGet();
                    }
                }

                @Override
                public void onQueryIdle(QueryIdleEvent event) {
                }

                @Override
                public void onQueryTerminated(QueryTerminatedEvent event) {
                }
            });
            Thread job = new Thread(() -> StreamingRun.run(new Lake(spark, settings), settings, RecordKind.PIN,
                    StreamTrigger.parse("processing-time=500ms")), "bench-stream-job");
            job.setDaemon(true);
            job.start();
            try {
                Iterator<Post> posts = new PostGenerator(7, Bench.BENCH_DAY).iterator(10_000_000);
                // Warm-up, not measured: the first micro-batch also creates the table and warms the JVM.
                putAtRate(client, stream, posts, 100, 1, new HashMap<>());
                long warmUpDeadline = System.nanoTime() + 180_000_000_000L;
                while (commits.isEmpty() && System.nanoTime() < warmUpDeadline) {
                    LockSupport.parkNanos(100_000_000L);
                }
                // Then the first rate for a while, until its records are all readable: a cold JVM compiles the
                // micro-batch's code over its first dozens of batches, and the figures are of the warm one.
                Map<String, List<Put>> warmUp = new HashMap<>();
                putAtRate(client, stream, posts, rates[0], WARM_UP_SECONDS, warmUp);
                latencies(warmUp, commits, System.nanoTime() + 6 * DRAIN_NANOS);
                LockSupport.parkNanos(1_000_000_000L);
                commits.clear();
                phases.clear();
                batches.set(0);
                for (double rate : rates) {
                    Map<String, List<Put>> puts = new HashMap<>();
                    long started = System.nanoTime();
                    long records = putAtRate(client, stream, posts, rate, seconds, puts);
                    double putSeconds = (System.nanoTime() - started) / 1e9;
                    List<Double> latencies = latencies(puts, commits, System.nanoTime() + DRAIN_NANOS);
                    boolean sustained = latencies.size() == records;
                    Collections.sort(latencies);
                    Result result = new Result(rate, records, records / putSeconds, percentile(latencies, 0.50),
                            percentile(latencies, 0.99), latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() - 1),
                            sustained);
                    results.add(result);
                    out.printf("rate %.0f/s: %s%n", rate, result);
                    if (!sustained) {
                        break;
                    }
                }
                out.printf("%nper micro-batch (mean of %d): %s%n", batches.get(), phases.entrySet().stream()
                        .map(phase -> phase.getKey() + " " + phase.getValue() / Math.max(1, batches.get()) + " ms")
                        .collect(java.util.stream.Collectors.joining(", ")));
            } finally {
                for (StreamingQuery query : spark.streams().active()) {
                    try {
                        query.stop();
                    } catch (java.util.concurrent.TimeoutException e) {
                        // stopping anyway: the session goes next
                    }
                }
                spark.stop();
            }
        }
        out.printf("%n%-10s %9s %10s %8s %8s %8s %10s%n", "rate/s", "records", "put/s", "p50 s", "p99 s", "max s", "sustained");
        for (Result result : results) {
            out.printf("%-10.0f %9d %10.0f %8.2f %8.2f %8.2f %10s%n", result.rate(), result.records(), result.putRate(),
                    result.p50(), result.p99(), result.max(), result.sustained() ? "yes" : "no");
        }
        // For scripts, one line a rate, the last rate's last: percentiles of the records that became readable (all of
        // them at a sustained rate; the table says which rates were not).
        out.println();
        for (Result result : results) {
            out.printf("latency at %.0f records/s: p50 %.2f s, p99 %.2f s%n", result.rate(), result.p50(), result.p99());
        }
    }

    /**
     * Puts pins at the rate for the time given, a batch every 100 ms, retrying failed entries with the next batch. A
     * record's put time is when the PutRecords call that took it returned.
     */
    private static long putAtRate(KinesisClient client, String stream, Iterator<Post> posts, double rate, int seconds,
                                  Map<String, List<Put>> puts) {
        long start = System.nanoTime();
        long sent = 0;
        List<PutRecordsRequestEntry> retry = new ArrayList<>();
        for (long tick = start; tick - start < seconds * 1_000_000_000L; tick += TICK_NANOS) {
            LockSupport.parkNanos(tick - System.nanoTime());
            long wanted = (long) ((tick - start + TICK_NANOS) / 1e9 * rate) - sent - retry.size();
            List<PutRecordsRequestEntry> entries = new ArrayList<>(retry);
            for (long i = 0; i < wanted && entries.size() < 500; i++) {
                Post post = posts.next();
                entries.add(PutRecordsRequestEntry.builder().partitionKey(Long.toString(post.ind()))
                        .data(SdkBytes.fromUtf8String(post.pin())).build());
            }
            retry.clear();
            if (entries.isEmpty()) {
                continue;
            }
            PutRecordsResponse response = client.putRecords(request -> request.streamName(stream).records(entries));
            long returned = System.nanoTime();
            for (int i = 0; i < entries.size(); i++) {
                PutRecordsResultEntry result = response.records().get(i);
                if (result.errorCode() == null) {
                    puts.computeIfAbsent(result.shardId(), shard -> new ArrayList<>())
                            .add(new Put(new BigInteger(result.sequenceNumber()), returned));
                    sent++;
                } else {
                    retry.add(entries.get(i));
                }
            }
        }
        return sent;
    }

    /** Each put record's latency, from the commits that made it readable; waits for the last ones until the deadline. */
    private static List<Double> latencies(Map<String, List<Put>> puts, ConcurrentLinkedQueue<Commit> commits, long deadline) {
        List<Double> latencies = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        long total = puts.values().stream().mapToLong(List::size).sum();
        while (latencies.size() < total && System.nanoTime() < deadline) {
            Commit commit = commits.poll();
            if (commit == null) {
                LockSupport.parkNanos(50_000_000L);
                continue;
            }
            commit.upTo().forEach((shard, upTo) -> {
                List<Put> shardPuts = puts.getOrDefault(shard, List.of());
                int index = seen.getOrDefault(shard, 0);
                while (index < shardPuts.size() && shardPuts.get(index).sequence().compareTo(upTo) <= 0) {
                    latencies.add((commit.nanos() - shardPuts.get(index).putNanos()) / 1e9);
                    index++;
                }
                seen.put(shard, index);
            });
        }
        return latencies;
    }

    /** The end offset's sequence number per shard ({@code {"shard":{"after":"seq",...}}}). */
    private static Map<String, BigInteger> upTo(String offsetJson) {
        Map<String, BigInteger> upTo = new HashMap<>();
        try {
            JsonNode shards = JSON.readTree(offsetJson);
            shards.fields().forEachRemaining(shard -> {
                JsonNode after = shard.getValue().get("after");
                if (after != null && !after.isNull()) {
                    upTo.put(shard.getKey(), new BigInteger(after.asText()));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return upTo;
    }

    private static double percentile(List<Double> sorted, double share) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(share * sorted.size()) - 1));
    }
}
