package io.pinpipeline.toolkit.emulator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * <ul>
 *   <li>A 2xx answer is not "all in": the proxy answers 200 and fails single records, each entry of its
 *       {@code offsets[]} (one a record, in order) carrying an {@code error_code}: null, in; 2, retriable; 1, not.
 *       The retriable ones, those only, go out again in a new request with {@link Backoff}; a record the proxy
 *       will not take, or an answer that does not account for every record, stops the run naming the topic.</li>
 *   <li>A request that fails with 5xx, 429, a timeout or a connection error is sent again whole with
 *       {@link Backoff}; any other 4xx means the request itself is wrong (unknown topic, bad body), and stops the
 *       run with the server's answer.</li>
 *   <li>A retried request may have reached Kafka the first time (an answer lost on the way back): the HTTP path is
 *       at least once, and cleaning collapses such repeats by key. A record sent again lands after the rest of its
 *       batch, still before the next batch: order within a topic is not kept, and cleaning does not depend on it.</li>
 * </ul>
 */
public final class KafkaRestSink implements PostSink {
    public static final String CONTENT_TYPE = "application/vnd.kafka.json.v2+json";
    /** The proxy's {@code error_code} of an {@code offsets[]} entry: Kafka did not take the record, may later. */
    public static final int RETRIABLE_ERROR = 2;
    /** The proxy's {@code error_code} of an {@code offsets[]} entry: Kafka will not take the record. */
    public static final int NOT_RETRIABLE_ERROR = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

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
            List<String> records = posts.stream().map(record).toList();
            kinds.add(CompletableFuture.runAsync(() -> post(kind.topic(prefix), records), senders));
        }
        try {
            CompletableFuture.allOf(kinds.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Posts one topic's records until the proxy has taken every one, or fails the run. */
    private void post(String topic, List<String> records) {
        // Appended, not resolved: an API Gateway invoke URL ends in its stage (.../prod), which must stay.
        URI uri = URI.create(url + "/topics/" + topic);
        List<String> pending = records;
        for (int tries = 1; ; tries++) {
            List<String> again;
            String problem;
            try {
                HttpResponse<String> response = http.send(request(uri, pending), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    again = toSendAgain(topic, pending, response.body());
                    if (again.isEmpty()) {
                        return;
                    }
                    problem = again.size() + " of " + pending.size() + " records answered error_code " + RETRIABLE_ERROR;
                } else {
                    again = pending;
                    problem = "HTTP " + status + " " + SinkException.excerpt(response.body());
                    if (status != 429 && status / 100 == 4) {
                        counter.failed(pending.size());
                        throw new SinkException("POST " + uri + " was refused: " + problem);
                    }
                }
            } catch (ConnectException | HttpTimeoutException e) {
                again = pending;
                problem = e.getClass().getSimpleName() + " " + e.getMessage();
            } catch (IOException e) {
                again = pending;
                problem = "I/O error " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                counter.failed(pending.size());
                throw new SinkException("interrupted while posting to " + uri, e);
            }
            if (!backoff.mayRetry(tries)) {
                counter.failed(again.size());
                throw new SinkException("POST " + uri + ": " + again.size() + " records still not in after " + tries
                        + " tries; last: " + problem);
            }
            counter.retried(again.size());
            backoff.pause(tries);
            pending = again;
        }
    }

    private static HttpRequest request(URI uri, List<String> records) {
        return HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", CONTENT_TYPE)
                .header("Accept", "application/vnd.kafka.v2+json, application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(records)))
                .build();
    }

    /**
     * Counts the records a 2xx answer says are in and returns those to send again (error_code 2); a record the
     * proxy will not take fails the run, and with it the records of the request not in yet.
     */
    private List<String> toSendAgain(String topic, List<String> sent, String answer) {
        List<Offset> offsets;
        try {
            offsets = offsets(topic, answer, sent.size());
        } catch (SinkException e) {
            counter.failed(sent.size());
            throw e;
        }
        List<String> again = new ArrayList<>();
        List<Offset> refused = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            Offset offset = offsets.get(i);
            if (offset.isRetriable()) {
                again.add(sent.get(i));
            } else if (!offset.isIn()) {
                refused.add(offset);
            }
        }
        int in = sent.size() - again.size() - refused.size();
        counter.sent(in);
        if (!refused.isEmpty()) {
            counter.failed(sent.size() - in);
            Offset first = refused.get(0);
            throw new SinkException("Kafka REST proxy, topic " + topic + ": " + refused.size() + " of " + sent.size()
                    + " records refused, not retriable (error_code " + first.errorCode() + "): "
                    + SinkException.excerpt(first.error()));
        }
        return again;
    }

    /** One record's entry in a 2xx answer's {@code offsets[]}: no error code when it is in. */
    record Offset(Integer errorCode, String error) {
        boolean isIn() {
            return errorCode == null;
        }

        boolean isRetriable() {
            return errorCode != null && errorCode == RETRIABLE_ERROR;
        }
    }

    /**
     * The entries of a 2xx answer's {@code offsets[]}, which must be one a record sent, in the records' order, each
     * with a null or whole-number {@code error_code}: any other answer leaves unknown which records are in.
     */
    static List<Offset> offsets(String topic, String answer, int records) {
        JsonNode offsets;
        try {
            JsonNode body = JSON.readTree(answer);
            offsets = body == null ? null : body.get("offsets");
        } catch (IOException e) {
            offsets = null;
        }
        if (offsets == null || !offsets.isArray() || offsets.size() != records) {
            throw unreadable(topic, "does not have one offsets[] entry for each of the " + records + " records sent", answer);
        }
        List<Offset> entries = new ArrayList<>(records);
        for (JsonNode entry : offsets) {
            JsonNode code = entry.path("error_code");
            if (!entry.isObject() || !(code.isNull() || code.isMissingNode() || code.isIntegralNumber())) {
                throw unreadable(topic, "has an offsets[] entry without a whole-number or null error_code", answer);
            }
            JsonNode error = entry.path("error");
            entries.add(new Offset(code.isIntegralNumber() ? Integer.valueOf(code.intValue()) : null,
                    error.isTextual() ? error.textValue() : ""));
        }
        return entries;
    }

    private static SinkException unreadable(String topic, String problem, String answer) {
        return new SinkException("Kafka REST proxy, topic " + topic + ": the 2xx answer " + problem + ": "
                + SinkException.excerpt(answer));
    }

    /** {@code {"records":[{"value":<record>}, ...]}}; each record is already a JSON text, embedded as it is. */
    static byte[] body(List<String> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(records.size() * 800);
        try (JsonGenerator json = JSON.getFactory().createGenerator(bytes)) {
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
