package io.pinpipeline.toolkit.emulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.pinpipeline.jobs.records.RecordKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Sends posts as the original emulator did, through API Gateway to the Kafka REST proxy: for each kind one
 * {@code POST <url>/topics/<prefix>.<kind>} with {@code Content-Type: application/vnd.kafka.json.v2+json} and the
 * batch's records as {@code {"records":[{"value":{...}}, ...]}}. The three kinds go out side by side.
 *
 * <p>A request that fails with 5xx, 429, a timeout or a connection error is sent again with {@link Backoff};
 * any other 4xx means the request itself is wrong (unknown topic, bad body), and stops the run with the
 * server's answer. A retried request may have reached Kafka the first time (an answer lost on the way back):
 * the HTTP path is at least once, and cleaning collapses such repeats by key.
 */
public final class KafkaRestSink implements PostSink {
    public static final String CONTENT_TYPE = "application/vnd.kafka.json.v2+json";
    private static final JsonFactory JSON = new JsonFactory();

    private final URI url;
    private final String prefix;
    private final Backoff backoff;
    private final HttpClient http;
    private final SinkCounts.Counter counter = new SinkCounts.Counter();
    /** One thread a kind: the three topics' requests of a batch go out side by side. */
    private final ExecutorService senders = Executors.newFixedThreadPool(RecordKind.values().length, runnable -> {
        Thread thread = new Thread(runnable, "kafka-rest-sink");
        thread.setDaemon(true);
        return thread;
    });

    /** {@code url} is the API Gateway invoke URL (locally the gateway's), the topics are {@code <prefix>.<kind>}. */
    public KafkaRestSink(URI url, String prefix, Backoff backoff) {
        this.url = url;
        this.prefix = prefix;
        this.backoff = backoff;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public void send(List<Post> posts) {
        if (posts.isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> kinds = new ArrayList<>();
        for (RecordKind kind : RecordKind.values()) {
            Function<Post, String> record = post -> post.record(kind);
            byte[] body = body(posts.stream().map(record).toList());
            kinds.add(CompletableFuture.runAsync(() -> post(kind.topic(prefix), body, posts.size()), senders));
        }
        try {
            CompletableFuture.allOf(kinds.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Posts one topic's batch until the proxy takes it, or fails the run. */
    private void post(String topic, byte[] body, int records) {
        // Appended, not resolved: an API Gateway invoke URL ends in its stage (.../prod), which must stay.
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/topics/" + topic))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", CONTENT_TYPE)
                .header("Accept", "application/vnd.kafka.v2+json, application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        for (int tries = 1; ; tries++) {
            String problem;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    counter.sent(records);
                    return;
                }
                problem = "HTTP " + status + " " + SinkException.excerpt(response.body());
                if (status != 429 && status / 100 == 4) {
                    counter.failed(records);
                    throw new SinkException("POST " + request.uri() + " was refused: " + problem);
                }
            } catch (ConnectException | HttpTimeoutException e) {
                problem = e.getClass().getSimpleName() + " " + e.getMessage();
            } catch (IOException e) {
                problem = "I/O error " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                counter.failed(records);
                throw new SinkException("interrupted while posting to " + request.uri(), e);
            }
            if (!backoff.mayRetry(tries)) {
                counter.failed(records);
                throw new SinkException("POST " + request.uri() + " failed " + tries + " times; last: " + problem);
            }
            counter.retried(records);
            backoff.pause(tries);
        }
    }

    /** {@code {"records":[{"value":<record>}, ...]}}; each record is already a JSON text, embedded as it is. */
    static byte[] body(List<String> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(records.size() * 800);
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeArrayFieldStart("records");
            for (String record : records) {
                json.writeStartObject();
                json.writeFieldName("value");
                json.writeRawValue(record);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public SinkCounts counts() {
        return counter.snapshot();
    }

    @Override
    public int batchSize() {
        // The original sent one record a request; batching 200 keeps a request near 150 KB, well under the
        // proxy's and API Gateway's 10 MB limit.
        return 200;
    }

    @Override
    public void close() {
        senders.shutdownNow();
    }
}
