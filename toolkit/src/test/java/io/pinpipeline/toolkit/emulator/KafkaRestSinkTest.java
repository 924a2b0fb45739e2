package io.pinpipeline.toolkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaRestSinkTest {
    private static final String TOPIC = "test.pin";
    private static final String IN = "{\"partition\":0,\"offset\":7,\"error_code\":null,\"error\":null}";

    @Test
    void eachOffsetsEntrySaysWhetherItsRecordIsInMayBeSentAgainOrIsRefused() {
        String answer = "{\"key_schema_id\":null,\"value_schema_id\":null,\"offsets\":[" + IN + ","
                + "{\"partition\":null,\"offset\":null,\"error_code\":2,\"error\":\"not enough replicas\"},"
                + "{\"partition\":null,\"offset\":null,\"error_code\":1,\"error\":\"record too large\"}]}";

        List<KafkaRestSink.Offset> offsets = KafkaRestSink.offsets(TOPIC, answer, 3);

        assertThat(offsets).containsExactly(new KafkaRestSink.Offset(null, ""),
                new KafkaRestSink.Offset(2, "not enough replicas"), new KafkaRestSink.Offset(1, "record too large"));
        assertThat(offsets).extracting(KafkaRestSink.Offset::isIn).containsExactly(true, false, false);
        assertThat(offsets).extracting(KafkaRestSink.Offset::isRetriable).containsExactly(false, true, false);
    }

    @Test
    void anAnswerWithoutOneOffsetsEntryARecordIsAnError() {
        for (String answer : List.of("{\"offsets\":[" + IN + "]}", "{\"offsets\":[" + IN + "," + IN + "," + IN + "]}",
                "{\"offsets\":[]}", "{}", "")) {
            assertThatThrownBy(() -> KafkaRestSink.offsets(TOPIC, answer, 2)).as(answer)
                    .isInstanceOf(SinkException.class)
                    .hasMessageStartingWith("Kafka REST proxy, topic test.pin: the 2xx answer does not have one offsets[]"
                            + " entry for each of the 2 records sent");
        }
        assertThatThrownBy(() -> KafkaRestSink.offsets(TOPIC, "{\"offsets\":[{\"error_code\":\"2\"}]}", 1))
                .hasMessageContaining("an offsets[] entry without a whole-number or null error_code");
    }

    @Test
    void aSinkAnsweredTooFewOffsetsStopsAndCountsTheRecordsFailed() throws IOException {
        // A proxy that answers 200 with one entry whatever it was sent: which records are in is unknown.
        HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        proxy.createContext("/topics/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
                byte[] body = ("{\"offsets\":[" + IN + "]}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        proxy.start();
        List<Post> posts = new PostGenerator(1, LocalDate.of(2024, 5, 1)).posts(2).toList();
        URI url = URI.create("http://127.0.0.1:" + proxy.getAddress().getPort());
        try (KafkaRestSink sink = new KafkaRestSink(url, "test", new Backoff(3, Duration.ofMillis(1), Duration.ofMillis(1)))) {
            assertThatThrownBy(() -> sink.send(posts))
                    .isInstanceOf(SinkException.class)
                    .hasMessageContaining("for each of the 2 records sent");
            assertThat(sink.counts()).isEqualTo(new SinkCounts(0, 0, 6));
        } finally {
            proxy.stop(0);
        }
    }
}
