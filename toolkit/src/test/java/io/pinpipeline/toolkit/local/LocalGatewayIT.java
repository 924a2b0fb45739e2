package io.pinpipeline.toolkit.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.pinpipeline.toolkit.testing.RawHttp;
import io.pinpipeline.toolkit.testing.SlowClients;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the local gateway lets through to its routes, as API Gateway does in front of its integrations: requests to
 * loopback only, bodies up to 10 MB, and no slow client holding up the others. The route here only says how many bytes
 * of body it was given: the checks are the gateway's, whatever route it mounts.
 */
class LocalGatewayIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ROUTE = "/topics/";

    final HttpClient http = HttpClient.newHttpClient();
    final AtomicInteger routed = new AtomicInteger();
    LocalGateway gateway;

    @BeforeEach
    void start() {
        gateway = LocalGateway.start(0, Map.of(ROUTE, this::countBytes));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private void countBytes(HttpExchange exchange) throws IOException {
        routed.incrementAndGet();
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] answer = JSON.writeValueAsBytes(Map.of("bytes", in.readAllBytes().length));
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    @Test
    void aBodyOverApiGatewaysPayloadLimitNeverReachesTheRoute() throws Exception {
        byte[] twentyMegabytes = new byte[20 << 20];
        HttpRequest declared = post(HttpRequest.BodyPublishers.ofByteArray(twentyMegabytes));
        HttpRequest chunked = post(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(twentyMegabytes)));
        for (HttpRequest request : List.of(declared, chunked)) {
            HttpResponse<String> refused = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(413);
            assertThat(JSON.readTree(refused.body()).get("message").asText())
                    .isEqualTo("HTTP content length exceeded 10485760 bytes.");
        }
        assertThat(routed).hasValue(0);

        HttpResponse<String> atTheLimit = http.send(post(HttpRequest.BodyPublishers.ofByteArray(
                new byte[LocalGateway.MAX_PAYLOAD_BYTES])), HttpResponse.BodyHandlers.ofString());
        assertThat(atTheLimit.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(atTheLimit.body()).get("bytes").asInt()).isEqualTo(LocalGateway.MAX_PAYLOAD_BYTES);
    }

    @Test
    void aHostThatIsNotLoopbackIsRefused() throws Exception {
        URI url = gateway.url();
        byte[] body = "{\"records\":[]}".getBytes(StandardCharsets.UTF_8);
        for (String host : List.of("rebind.example:" + url.getPort(), "127.0.0.1.rebind.example", "192.168.1.20")) {
            RawHttp.Answer refused = RawHttp.send(url, "POST", ROUTE + "t", Map.of("Host", host), body);
            assertThat(refused.status()).as(host).isEqualTo(403);
            JsonNode message = JSON.readTree(refused.body()).get("message");
            assertThat(message.asText()).startsWith("Forbidden");
        }
        assertThat(RawHttp.send(url, "POST", ROUTE + "t", Map.of(), body).status()).as("no Host").isEqualTo(403);
        assertThat(routed).hasValue(0);
        for (String host : List.of("127.0.0.1:" + url.getPort(), "localhost", "[::1]:" + url.getPort())) {
            assertThat(RawHttp.send(url, "POST", ROUTE + "t", Map.of("Host", host), body).status()).as(host).isEqualTo(200);
        }
    }

    @Test
    void fiveSlowClientsDoNotHoldUpTheRoutesAndAreCutOff() throws Exception {
        try (SlowClients slow = SlowClients.start(gateway.url(), 5, "POST", ROUTE + "t", "")) {
            for (int i = 0; i < 10; i++) {
                long started = System.nanoTime();
                HttpResponse<String> answer = http.send(post(HttpRequest.BodyPublishers.ofString("{}")),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            }
            assertThat(slow.awaitClosedByServer(Duration.ofSeconds(LocalHttp.MAX_REQUEST_SECONDS + 5))).isEqualTo(5);
        }
    }

    private HttpRequest post(HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(gateway.url().resolve(ROUTE + "t")).timeout(Duration.ofSeconds(30)).POST(body).build();
    }
}
