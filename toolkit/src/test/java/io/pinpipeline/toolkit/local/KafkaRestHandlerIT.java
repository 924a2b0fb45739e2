package io.pinpipeline.toolkit.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpHandler;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.toolkit.emulator.Backoff;
import io.pinpipeline.toolkit.emulator.KafkaRestSink;
import io.pinpipeline.toolkit.emulator.Post;
import io.pinpipeline.toolkit.emulator.PostGenerator;
import io.pinpipeline.toolkit.emulator.SinkCounts;
import io.pinpipeline.toolkit.emulator.SinkException;
import io.pinpipeline.toolkit.testing.FlakyHandler;
import io.pinpipeline.toolkit.testing.TestKafka;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The emulator's kafka-rest sink through the local REST-proxy stand-in into a real broker; failures of whole requests
 * come from {@link FlakyHandler} in front of it, failures of single records from the stand-in's own {@code Faults}.
 */
class KafkaRestHandlerIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final LocalDate DAY = LocalDate.of(2024, 5, 1);
    static final Instant NOON = DAY.atTime(12, 0).toInstant(ZoneOffset.UTC);
    static final Backoff QUICK = new Backoff(8, Duration.ofMillis(1), Duration.ofMillis(20));

    static TestKafka kafka;
    static Producer<String, String> producer;

    @BeforeAll
    static void startKafka() {
        kafka = TestKafka.start();
        producer = kafka.producer();
    }

    @AfterAll
    static void stopKafka() {
        producer.close();
        kafka.close();
    }

    private static Set<String> topics(String prefix) {
        return Arrays.stream(RecordKind.values()).map(kind -> kind.topic(prefix)).collect(Collectors.toSet());
    }

    private static KafkaRestHandler handler(String prefix) {
        return handler(prefix, KafkaRestHandler.Faults.NONE);
    }

    private static KafkaRestHandler handler(String prefix, KafkaRestHandler.Faults faults) {
        return new KafkaRestHandler(producer, topics(prefix), Clock.fixed(NOON, ZoneOffset.UTC), faults);
    }

    /** Each topic's values as stored, in offset order. */
    private static Map<RecordKind, List<String>> stored(String prefix) {
        Map<RecordKind, List<String>> stored = new EnumMap<>(RecordKind.class);
        for (RecordKind kind : RecordKind.values()) {
            stored.put(kind, kafka.readAll(kind.topic(prefix)).stream().map(ConsumerRecord::value).toList());
        }
        return stored;
    }

    /** Sends the posts and checks that every record of every kind is in its topic exactly once, in order. */
    private static void assertSentExactlyOnce(String prefix, List<Post> posts) throws IOException {
        for (RecordKind kind : RecordKind.values()) {
            Function<Post, String> record = post -> post.record(kind);
            List<ConsumerRecord<String, String>> stored = kafka.readAll(kind.topic(prefix));
            assertThat(stored).hasSize(posts.size());
            for (int i = 0; i < posts.size(); i++) {
                assertThat(JSON.readTree(stored.get(i).value())).isEqualTo(JSON.readTree(record.apply(posts.get(i))));
                assertThat(stored.get(i).timestamp()).isEqualTo(NOON.toEpochMilli());
                assertThat(stored.get(i).key()).isNull();
            }
        }
    }

    /** What the sink did with posts sent through the handler: its counts, and the error that stopped it, if one did. */
    record Sent(SinkCounts counts, SinkException failure) {
    }

    /** Sends the posts in batches, as the emulator does, through a gateway in front of the handler. */
    private static Sent sendThrough(HttpHandler handler, String prefix, List<Post> posts, int batch) {
        try (LocalGateway gateway = LocalGateway.start(0, Map.of("/topics/", handler));
             KafkaRestSink sink = new KafkaRestSink(gateway.url(), prefix, QUICK)) {
            try {
                for (int from = 0; from < posts.size(); from += batch) {
                    sink.send(posts.subList(from, Math.min(posts.size(), from + batch)));
                }
            } catch (SinkException e) {
                return new Sent(sink.counts(), e);
            }
            return new Sent(sink.counts(), null);
        }
    }

    @Test
    void everyRecordReachesItsTopicOnceAndInOrder() throws IOException {
        String prefix = "plain";
        kafka.createTopics(topics(prefix));
        List<Post> posts = new PostGenerator(3, DAY).posts(1_000).toList();

        Sent sent = sendThrough(handler(prefix), prefix, posts, 200);

        assertThat(sent).isEqualTo(new Sent(new SinkCounts(3_000, 0, 0), null));
        assertSentExactlyOnce(prefix, posts);
    }

    @Test
    void failedRequestsAreRetriedUntilEveryRecordIsInOnce() throws IOException {
        String prefix = "flaky";
        kafka.createTopics(topics(prefix));
        List<Post> posts = new PostGenerator(4, DAY).posts(600).toList();
        // every third request a 503, and of the others every fifth a 429: a fifth of requests fail at least once
        FlakyHandler unavailable = new FlakyHandler(handler(prefix), 3, 503);
        FlakyHandler throttled = new FlakyHandler(unavailable, 5, 429);

        Sent sent = sendThrough(throttled, prefix, posts, 50);

        assertThat(sent).isEqualTo(new Sent(new SinkCounts(1_800, 50L * (unavailable.failed() + throttled.failed()), 0), null));
        assertThat(unavailable.failed()).isPositive();
        assertThat(throttled.failed()).isPositive();
        assertSentExactlyOnce(prefix, posts);
    }

    @Test
    void recordsAnsweredRetriableAreSentAgainUntilEachIsInOnce() {
        String prefix = "partial";
        kafka.createTopics(topics(prefix));
        List<Post> posts = new PostGenerator(6, DAY).posts(600).toList();
        // A 200 whose offsets[] fail about a fifth of the records with error_code 2, as the real proxy may.
        KafkaRestHandler partial = handler(prefix, new KafkaRestHandler.Faults(0.2, 0, 6));

        Sent sent = sendThrough(partial, prefix, posts, 50);

        assertThat(sent).isEqualTo(new Sent(new SinkCounts(1_800, partial.injectedFailures(), 0), null));
        // a fifth of 1,800 records, and a fifth of those again, and so on: about 450
        assertThat(partial.injectedFailures()).isBetween(350L, 550L);
        // Every record once: a value holds its post's keys (ind, unique_id), and a repeated post is in as often as sent.
        stored(prefix).forEach((kind, values) -> assertThat(values).as(kind.label())
                .containsExactlyInAnyOrderElementsOf(posts.stream().map(post -> post.record(kind)).toList()));
    }

    @Test
    void aRecordAnsweredNotRetriableStopsTheRunNamingTopicCodeAndError() {
        String prefix = "refusing";
        kafka.createTopics(topics(prefix));
        List<Post> posts = new PostGenerator(8, DAY).posts(100).toList();

        KafkaRestHandler refusing = handler(prefix, new KafkaRestHandler.Faults(0.2, 0.05, 8));
        Sent sent = sendThrough(refusing, prefix, posts, 100);

        assertThat(sent.failure())
                .hasMessageStartingWith("Kafka REST proxy, topic refusing.")
                .hasMessageContaining("records refused, not retriable (error_code 1): Injected failure: "
                        + "The request included a message larger than the max message size the server will accept.");
        assertThat(sent.counts().failed()).isPositive();
        // every record handed to the sink is either in (and counted sent) or given up on (and counted failed)
        assertThat(sent.counts().sent() + sent.counts().failed()).isEqualTo(300);
        List<String> stored = stored(prefix).values().stream().flatMap(List::stream).toList();
        List<String> handed = posts.stream().flatMap(post -> Arrays.stream(RecordKind.values()).map(post::record)).toList();
        assertThat(handed).containsAll(stored);
        if (sent.counts().retried() == refusing.injectedRetriable()) {
            // only records answered error_code 2 went out again: what is in Kafka is exactly what was counted sent
            assertThat((long) stored.size()).isEqualTo(sent.counts().sent());
        } else {
            // A whole request went out again (an answer lost to a timeout on a loaded machine, a 500): the HTTP path
            // is at least once, so its first copy may be in, uncounted. Every record counted sent is still in.
            assertThat((long) stored.size()).isBetween(sent.counts().sent(), sent.counts().sent() + sent.counts().retried());
        }
    }

    @Test
    void aRefusedRequestStopsTheRunWithTheProxysAnswer() {
        String prefix = "refused";
        List<Post> posts = new PostGenerator(5, DAY).posts(10).toList();
        // the topics of this prefix were never created: the proxy answers 404 / 40401
        Sent sent = sendThrough(handler("other"), prefix, posts, posts.size());

        assertThat(sent.failure())
                .hasMessageContaining("/topics/refused.")
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("40401");
        assertThat(sent.counts().failed()).isPositive();
        assertThat(sent.counts().retried()).isZero();
    }

    @Test
    void theStandInAnswersBadRequestsAsTheRestProxyDoes() throws Exception {
        String prefix = "errors";
        kafka.createTopics(topics(prefix));
        try (LocalGateway gateway = LocalGateway.start(0, Map.of("/topics/", handler(prefix)))) {
            HttpClient http = HttpClient.newHttpClient();
            URI topic = gateway.url().resolve("/topics/errors.pin");
            record Answer(int status, JsonNode body) {
            }
            Function<HttpRequest, Answer> send = request -> {
                try {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    return new Answer(response.statusCode(), JSON.readTree(response.body()));
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            };
            HttpRequest.Builder post = HttpRequest.newBuilder(topic).header("Content-Type", KafkaRestSink.CONTENT_TYPE);

            assertThat(send.apply(HttpRequest.newBuilder(topic).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"records\":[{\"value\":{}}]}")).build()))
                    .isEqualTo(new Answer(415, JSON.readTree("{\"error_code\":415,\"message\":\"HTTP 415 Unsupported Media Type\"}")));
            assertThat(send.apply(post.copy().POST(HttpRequest.BodyPublishers.ofString("{\"records\":[")).build()).status())
                    .isEqualTo(400);
            assertThat(send.apply(post.copy().POST(HttpRequest.BodyPublishers.ofString("{\"records\":[]}")).build()))
                    .extracting(Answer::status, answer -> answer.body().get("error_code").asInt())
                    .containsExactly(422, 42201);
            assertThat(send.apply(post.copy().POST(HttpRequest.BodyPublishers.ofString("{\"records\":[{\"key\":1}]}")).build()).status())
                    .isEqualTo(422);
            assertThat(send.apply(HttpRequest.newBuilder(topic).GET().build()).status()).isEqualTo(405);
            // a value of any JSON kind is produced as its JSON text; decimals keep their digits
            Answer ok = send.apply(post.copy().POST(HttpRequest.BodyPublishers.ofString(
                    "{\"records\":[{\"value\":{\"ind\":1,\"latitude\":-45.10},\"partition\":0},{\"value\":[1,2]},{\"value\":\"x\"}]}")).build());
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.body().get("offsets")).hasSize(3);
            assertThat(ok.body().get("offsets").get(0).get("offset").asLong()).isZero();
            assertThat(ok.body().get("offsets").get(2).get("offset").asLong()).isEqualTo(2);
        }
        assertThat(kafka.readAll("errors.pin")).extracting(ConsumerRecord::value)
                .containsExactly("{\"ind\":1,\"latitude\":-45.10}", "[1,2]", "\"x\"");
    }
}
