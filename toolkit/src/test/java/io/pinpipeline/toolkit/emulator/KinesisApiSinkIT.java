package io.pinpipeline.toolkit.emulator;

import io.pinpipeline.toolkit.testing.KinesisStreams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpHandler;
import io.pinpipeline.toolkit.local.KinesisProxyHandler;
import io.pinpipeline.toolkit.local.LocalGateway;
import io.pinpipeline.toolkit.local.LocalKinesis;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** KinesisApiSink through KinesisProxyHandler, on a loopback HTTP server, into a real kinesis-local. */
class KinesisApiSinkIT {
    private static final Backoff QUICK = new Backoff(10, Duration.ofMillis(1), Duration.ofMillis(20));
    private static final LocalDate DATE = LocalDate.of(2024, 5, 1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalKinesis kinesis;
    private static KinesisClient client;
    private LocalGateway gateway;

    @BeforeAll
    static void startKinesis() {
        kinesis = LocalKinesis.start("us-east-1", Path.of("target/kinesis-local/KinesisApiSinkIT.log"));
        client = kinesis.client();
    }

    @AfterAll
    static void stopKinesis() {
        if (client != null) {
            client.close();
        }
        if (kinesis != null) {
            kinesis.close();
        }
    }

    @AfterEach
    void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void everyRecordArrivesOnceByteForByte() throws IOException {
        String prefix = "api";
        KinesisStreams.create(kinesis, prefix);
        URI url = startGateway("/streams/", new KinesisProxyHandler(client));
        List<Post> posts = new PostGenerator(7, DATE).posts(400).toList();

        try (KinesisApiSink sink = new KinesisApiSink(url, prefix, QUICK)) {
            send(sink, posts);
            assertThat(sink.counts()).isEqualTo(new SinkCounts(1_200, 0, 0));
        }

        assertStreamsHoldExactly(posts, prefix);
    }

    @Test
    void answers503And429AreRetriedUntilEachRecordIsInOnce() throws IOException {
        String prefix = "apifaults";
        KinesisStreams.create(kinesis, prefix);
        // Under a stage, like an API Gateway invoke URL. The gateway answers before Kinesis is asked: a record
        // whose ind is 0 mod 3 gets 503 then 429, one of 1 mod 3 gets 429, each on its first tries only, so that
        // the schedule does not depend on which request comes first.
        KinesisProxyHandler proxy = new KinesisProxyHandler(client);
        Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
        AtomicInteger injected = new AtomicInteger();
        HttpHandler failing = exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            long ind = Long.parseLong(JSON.readTree(body).path("PartitionKey").asText("0"));
            int attempt = tries.computeIfAbsent(exchange.getRequestURI().getPath() + " " + ind, k -> new AtomicInteger())
                    .incrementAndGet();
            int status = injectedStatus(ind, attempt);
            if (status == 0) {
                exchange.setStreams(new ByteArrayInputStream(body), null);
                proxy.handle(exchange);
                return;
            }
            injected.incrementAndGet();
            try (exchange) {
                byte[] answer = "{\"message\":\"injected\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, answer.length);
                exchange.getResponseBody().write(answer);
            }
        };
        URI url = startGateway("/test/", failing).resolve("/test");
        List<Post> posts = new PostGenerator(7, DATE).posts(150).toList();

        try (KinesisApiSink sink = new KinesisApiSink(url, prefix, QUICK)) {
            send(sink, posts);
            assertThat(sink.counts()).isEqualTo(new SinkCounts(450, injected.get(), 0));
        }

        assertThat(injected.get()).isPositive();
        assertStreamsHoldExactly(posts, prefix);
    }

    @Test
    void aMissingStreamStopsTheRunWithTheGatewaysAnswer() throws IOException {
        URI url = startGateway("/streams/", new KinesisProxyHandler(client));
        List<Post> posts = new PostGenerator(7, DATE).posts(20).toList();

        try (KinesisApiSink sink = new KinesisApiSink(url, "nostreams", QUICK)) {
            assertThatThrownBy(() -> sink.send(posts))
                    .isInstanceOf(SinkException.class)
                    .hasMessageContaining("/streams/streaming-nostreams-")
                    .hasMessageContaining("HTTP 400")
                    .hasMessageContaining("ResourceNotFoundException");
            assertThat(sink.counts().sent()).isZero();
            assertThat(sink.counts().failed()).isPositive();
        }
    }

    /** The gateway's own answer to a record's try, 0 to pass it on: see the test that uses it. */
    private static int injectedStatus(long ind, int attempt) {
        if (ind % 3 == 0 && attempt <= 2) {
            return attempt == 1 ? 503 : 429;
        }
        return ind % 3 == 1 && attempt == 1 ? 429 : 0;
    }

    private URI startGateway(String context, HttpHandler handler) {
        gateway = LocalGateway.start(0, Map.of(context, handler));
        return gateway.url();
    }

    private static void send(KinesisApiSink sink, List<Post> posts) {
        for (int from = 0; from < posts.size(); from += sink.batchSize()) {
            sink.send(posts.subList(from, Math.min(posts.size(), from + sink.batchSize())));
        }
    }

    private static void assertStreamsHoldExactly(List<Post> posts, String prefix) {
        Map<String, List<KinesisStreams.StreamRecord>> expected = KinesisStreams.expected(posts, prefix);
        Map<String, List<KinesisStreams.StreamRecord>> read = KinesisStreams.read(client, prefix);
        assertThat(read).containsOnlyKeys(expected.keySet());
        expected.forEach((stream, records) ->
                assertThat(read.get(stream)).as(stream).containsExactlyInAnyOrderElementsOf(records));
    }
}
