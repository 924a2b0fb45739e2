package io.pinpipeline.toolkit.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipeline.jobs.records.RecordKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends posts through an API Gateway Kinesis proxy, as the original emulator did (SPEC 9): one
 * {@code PUT <url>/streams/<stream>/record} a record, {@code Content-Type: application/json}, body
 * {@code {"StreamName": "<stream>", "Data": <the record>, "PartitionKey": "<ind>"}}.
 *
 * <ul>
 *   <li>{@code Data} is the record's JSON object itself, embedded as it is, not a string holding it: the
 *       original sent {@code json.dumps({..., "Data": row_dict, ...})}, and the gateway's mapping template puts
 *       the JSON text of {@code $.Data} into the Kinesis record ({@code $util.base64Encode($input.json('$.Data'))}),
 *       so the stream holds the record's JSON line.</li>
 *   <li>Up to {@value #IN_FLIGHT} requests are in flight at once; the records of one stream and key go one
 *       after another, so their order is kept, and {@link #send} returns once every record is in.</li>
 *   <li>5xx, 429 and connection errors are retried with {@link Backoff}; any other status (a 4xx, e.g. the
 *       gateway's 400 for a missing stream) ends the run with a {@link SinkException} carrying the status and
 *       the start of the answer. So does a 200 whose body is a Kinesis error (an API Gateway whose only
 *       integration response is the default one answers 200 to everything), unless that error is throttling.</li>
 * </ul>
 *
 * <pre>{@code try (PostSink sink = new KinesisApiSink(URI.create("https://abc.execute-api.us-east-1.amazonaws.com/prod"),
 *         "0a1b2c3d4e5f", Backoff.DEFAULT)) { sink.send(posts); }}</pre>
 */
public final class KinesisApiSink implements PostSink {
    /** Requests in flight at most: one request a record needs many at once for a useful rate. */
    static final int IN_FLIGHT = 16;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Kinesis errors that mean "later", when they come in a 200's body. */
    private static final Set<String> RETRYABLE_ERRORS = Set.of("ProvisionedThroughputExceededException",
            "LimitExceededException", "KMSThrottlingException", "InternalFailure", "ServiceUnavailable");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String invokeUrl;
    private final Map<RecordKind, String> streams;
    private final Backoff backoff;
    private final HttpClient http;
    private final ExecutorService senders;
    private final SinkCounts.Counter counter = new SinkCounts.Counter();

    /** Sends to the API's invoke URL (with its stage, e.g. {@code https://<id>.execute-api.<region>.amazonaws.com/prod}). */
    public KinesisApiSink(URI invokeUrl, String prefix, Backoff backoff) {
        String scheme = invokeUrl.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || invokeUrl.getHost() == null) {
            throw new IllegalArgumentException("invoke URL: '" + invokeUrl + "' is not an http(s) URL");
        }
        this.streams = KinesisSink.streams(prefix);
        String url = invokeUrl.toString();
        this.invokeUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.backoff = backoff;
        // HTTP/1.1 keep-alive connections, one a sender, like the original's requests; no h2c upgrade attempts
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
        AtomicInteger threads = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(IN_FLIGHT, task -> {
            Thread thread = new Thread(task, "kinesis-api-sink-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A record on its way: where it goes and the request body. */
    private record Put(String stream, String partitionKey, String body) {
    }

    @Override
    public void send(List<Post> posts) {
        // One task per stream and key, holding that key's records in order; tasks run IN_FLIGHT at a time.
        Map<String, List<Put>> byStreamAndKey = new LinkedHashMap<>();
        for (Post post : posts) {
            String key = Long.toString(post.ind());
            for (Map.Entry<RecordKind, String> stream : streams.entrySet()) {
                Put put = new Put(stream.getValue(), key, body(stream.getValue(), post.record(stream.getKey()), key));
                byStreamAndKey.computeIfAbsent(stream.getValue() + "/" + key, k -> new ArrayList<>()).add(put);
            }
        }
        AtomicBoolean refused = new AtomicBoolean();
        List<Future<?>> tasks = new ArrayList<>();
        for (List<Put> puts : byStreamAndKey.values()) {
            tasks.add(senders.submit(() -> puts.forEach(put -> put(put, refused))));
        }
        awaitAll(tasks);
    }

    @Override
    public SinkCounts counts() {
        return counter.snapshot();
    }

    @Override
    public void close() {
        senders.shutdownNow();
    }

    /**
     * The body the original emulator sent: the record's JSON line embedded as the value of {@code Data}. Stream
     * names and keys need no escaping: the constructor checked the names, and keys are digits.
     */
    static String body(String stream, String record, String partitionKey) {
        return "{\"StreamName\": \"" + stream + "\", \"Data\": " + record + ", \"PartitionKey\": \"" + partitionKey + "\"}";
    }

    /** Sends one record until the gateway takes it; after another task's refusal, sends nothing more. */
    private void put(Put put, AtomicBoolean refused) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(invokeUrl + "/streams/" + put.stream() + "/record"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(put.body(), StandardCharsets.UTF_8))
                .build();
        for (int tries = 1; ; tries++) {
            if (refused.get()) {
                return;
            }
            String failure;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                String error = status == 200 ? kinesisError(response.body()) : null;
                if (status / 100 == 2 && error == null) {
                    counter.sent(1);
                    return;
                }
                failure = "HTTP " + status + ": " + SinkException.excerpt(response.body());
                boolean later = status == 429 || status >= 500 || error != null && RETRYABLE_ERRORS.contains(error);
                if (!later) {
                    refused.set(true);
                    counter.failed(1);
                    throw new SinkException("Kinesis API " + request.uri() + " (ind " + put.partitionKey()
                            + ") refused the record: " + failure);
                }
            } catch (IOException e) {
                failure = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SinkException("interrupted while sending to " + request.uri(), e);
            }
            if (!backoff.mayRetry(tries)) {
                refused.set(true);
                counter.failed(1);
                throw new SinkException("Kinesis API " + request.uri() + " (ind " + put.partitionKey()
                        + "): record still not in after " + tries + " tries: " + failure);
            }
            counter.retried(1);
            backoff.pause(tries);
        }
    }

    /** The Kinesis error ({@code __type}) a body carries, or null for a record's sequence number and shard. */
    private static String kinesisError(String body) {
        try {
            JsonNode answer = JSON.readTree(body);
            return answer != null && answer.hasNonNull("__type") ? answer.get("__type").asText() : null;
        } catch (IOException e) {
            return null;  // not JSON: API Gateway's answer is what its mapping makes it, the status says enough
        }
    }

    /** Waits for every task and throws the first failure once all have ended (the others stop soon after it). */
    private static void awaitAll(List<Future<?>> tasks) {
        SinkException first = null;
        for (Future<?> task : tasks) {
            try {
                task.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof SinkException sink ? sink
                            : new SinkException("sending failed: " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException e) {
                tasks.forEach(t -> t.cancel(true));
                Thread.currentThread().interrupt();
                throw new SinkException("interrupted while sending", e);
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
