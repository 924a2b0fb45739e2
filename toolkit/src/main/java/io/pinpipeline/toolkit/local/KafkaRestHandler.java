package io.pinpipeline.toolkit.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.pinpipeline.toolkit.emulator.KafkaRestSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The local stand-in for API Gateway + Confluent's Kafka REST proxy (which cannot be had here): the proxy's
 * produce API in its v2 JSON form, {@code POST /topics/<topic>} with {@code Content-Type:
 * application/vnd.kafka.json.v2+json} and {@code {"records":[{"value":{...}}, ...]}}, answered as the proxy
 * answers: {@code {"offsets":[{"partition":0,"offset":N,"error_code":null,"error":null}, ...]}}.
 *
 * <p>Each value is produced as its JSON text, the way the proxy's JSON serializer writes it (numbers keep their
 * digits). Errors as the proxy gives them: 404/40401 for an unknown topic, 415 for another content type, 422/42201
 * for a body without records or a record without a value, 400 for malformed JSON, 500/50003 when the broker does
 * not take the records. The record time is this server's clock ({@code CreateTime}), as the proxy stamps records
 * when it produces them; a demo of a past day runs the server with that day's clock.
 *
 * <p>The proxy also answers 200 and fails single records, with an {@code error_code} in their {@code offsets[]}
 * entries (2: retriable, 1: not), which a broker on loopback never gives cause for: {@link Faults} makes the
 * stand-in answer so on purpose, to try a client against it.
 */
public final class KafkaRestHandler implements HttpHandler {

    private static final ObjectMapper JSON = new ObjectMapper()
            // Values go out as they came in: decimals keep their digits rather than passing through a double.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private final Producer<String, String> producer;
    private final Set<String> topics;
    private final Clock clock;
    private final Faults faults;
    /** The faults' draws, one sequence a topic: a client's requests to one topic meet the same failures every run. */
    private final Map<String, SplittableRandom> draws;
    private final AtomicLong injectedFailures = new AtomicLong();
    private final AtomicLong injectedRetriable = new AtomicLong();

    /**
     * Records the stand-in fails on purpose, and does not produce: each record of a request fails with probability
     * {@code notRetriable} as error_code 1, else with probability {@code retriable} as error_code 2. The draws
     * come from the seed, so a test that sends a topic's requests one after another is reproducible.
     */
    public record Faults(double retriable, double notRetriable, long seed) {
        public static final Faults NONE = new Faults(0, 0, 0);

        public Faults {
            if (!(retriable >= 0 && notRetriable >= 0 && retriable + notRetriable <= 1)) {
                throw new IllegalArgumentException("fault probabilities must be at least 0 and add up to at most 1: "
                        + "retriable " + retriable + ", not retriable " + notRetriable);
            }
        }

        /** Whether any record may fail. */
        public boolean any() {
            return retriable + notRetriable > 0;
        }
    }

    /** Produces to the given topics only (the proxy answers 40401 for others); stamps records with the clock. */
    public KafkaRestHandler(Producer<String, String> producer, Set<String> topics, Clock clock) {
        this(producer, topics, clock, Faults.NONE);
    }

    /** As {@link #KafkaRestHandler(Producer, Set, Clock)}, failing records on purpose as {@code faults} says. */
    public KafkaRestHandler(Producer<String, String> producer, Set<String> topics, Clock clock, Faults faults) {
        this.producer = producer;
        this.topics = Set.copyOf(topics);
        this.clock = clock;
        this.faults = faults;
        this.draws = this.topics.stream().collect(Collectors.toUnmodifiableMap(topic -> topic,
                topic -> new SplittableRandom(faults.seed() ^ topic.hashCode())));
    }

    /** How many records this handler has failed on purpose so far, in the answers it gave. */
    public long injectedFailures() {
        return injectedFailures.get();
    }

    /** How many of {@link #injectedFailures()} were retriable (error_code 2). */
    public long injectedRetriable() {
        return injectedRetriable.get();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(exchange.getHttpContext().getPath().length());
            String topic = path.startsWith("/") ? path.substring(1) : path;
            if (!exchange.getRequestMethod().equals("POST")) {
                respond(exchange, 405, error(405, "HTTP 405 Method Not Allowed"));
            } else if (topic.isEmpty() || topic.contains("/") || !topics.contains(topic)) {
                respond(exchange, 404, error(40401, "Topic " + topic + " not found."));
            } else if (!isJsonV2(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                respond(exchange, 415, error(415, "HTTP 415 Unsupported Media Type"));
            } else {
                produce(exchange, topic);
            }
        }
    }

    private void produce(HttpExchange exchange, String topic) throws IOException {
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            respond(exchange, 400, error(400, "Malformed JSON: " + e.getOriginalMessage()));
            return;
        }
        JsonNode records = body == null ? null : body.get("records");
        if (records == null || !records.isArray() || records.isEmpty()) {
            respond(exchange, 422, error(42201, "Request body must hold a non-empty records array."));
            return;
        }
        for (JsonNode record : records) {
            if (!record.isObject() || !record.has("value")) {
                respond(exchange, 422, error(42201, "Every record needs a value."));
                return;
            }
        }
        long timestamp = clock.millis();
        Integer[] injected = injectedErrors(topic, records.size());
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            if (injected[i] != null) {
                sent.add(null);
                continue;
            }
            JsonNode record = records.get(i);
            JsonNode key = record.get("key");
            sent.add(producer.send(new ProducerRecord<>(topic, null, timestamp,
                    key == null || key.isNull() ? null : JSON.writeValueAsString(key),
                    JSON.writeValueAsString(record.get("value")))));
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.putNull("key_schema_id");
        answer.putNull("value_schema_id");
        ArrayNode offsets = answer.putArray("offsets");
        int failed = 0;
        int retriable = 0;
        try {
            for (int i = 0; i < sent.size(); i++) {
                if (injected[i] != null) {
                    offsets.addObject().putNull("partition").putNull("offset").put("error_code", injected[i])
                            .put("error", injectedError(injected[i]));
                    failed++;
                    retriable += injected[i] == KafkaRestSink.RETRIABLE_ERROR ? 1 : 0;
                    continue;
                }
                RecordMetadata metadata = sent.get(i).get();
                offsets.addObject().put("partition", metadata.partition()).put("offset", metadata.offset())
                        .putNull("error_code").putNull("error");
            }
        } catch (ExecutionException e) {
            // Some records may be in: the client retries the request and cleaning collapses the repeats by key.
            respond(exchange, 500, error(50003, "Kafka error: " + e.getCause().getMessage()));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 503, error(50301, "Shutting down."));
            return;
        }
        injectedFailures.addAndGet(failed);
        injectedRetriable.addAndGet(retriable);
        respond(exchange, 200, answer);
    }

    /** The error code each record of a request is to fail with on purpose, or null for none; see {@link Faults}. */
    private Integer[] injectedErrors(String topic, int records) {
        Integer[] errors = new Integer[records];
        if (!faults.any()) {
            return errors;
        }
        SplittableRandom random = draws.get(topic);
        synchronized (random) {
            for (int i = 0; i < records; i++) {
                double draw = random.nextDouble();
                if (draw < faults.notRetriable()) {
                    errors[i] = KafkaRestSink.NOT_RETRIABLE_ERROR;
                } else if (draw < faults.notRetriable() + faults.retriable()) {
                    errors[i] = KafkaRestSink.RETRIABLE_ERROR;
                }
            }
        }
        return errors;
    }

    /** An injected failure's {@code error}: what Kafka says for a typical cause of that code, marked as injected. */
    private static String injectedError(int code) {
        return "Injected failure: " + (code == KafkaRestSink.RETRIABLE_ERROR
                ? "Messages are rejected since there are fewer in-sync replicas than required."
                : "The request included a message larger than the max message size the server will accept.");
    }

    private static boolean isJsonV2(String contentType) {
        return contentType != null && contentType.split(";")[0].trim().equalsIgnoreCase(KafkaRestSink.CONTENT_TYPE);
    }

    private static ObjectNode error(int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message);
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", KafkaRestSink.CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        // A request body the handler did not read (an early error) is drained by close(): keeps the connection usable.
        exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
    }
}
