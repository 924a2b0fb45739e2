package io.pinpipeline.toolkit.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pinpipeline.toolkit.local.LocalHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Kinesis endpoint on loopback that forwards to a real one and breaks PutRecords calls on a fixed schedule.
 * kinesis-local has no fault injection, so the faults are made here, in front of it: of every six
 * PutRecords calls, the first is answered 503, the second 500, the third 400
 * {@code ProvisionedThroughputExceededException}, the fourth loses its connection, the fifth reaches the server
 * with two of every three records only (the others come back with {@code ErrorCode}
 * {@code ProvisionedThroughputExceededException}, as a throttled shard answers), and the sixth passes. A call
 * that fails whole never reaches the server, so a sink that retries right neither loses nor doubles a record.
 *
 * <p>It reads and rewrites the AWS JSON protocol only: the SDK's client must have CBOR off
 * ({@code aws.cborEnabled=false}); a CBOR request is answered 400, so that a test notices.
 */
final class FaultyKinesisProxy implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Headers the JDK's client sets itself and will not take from a caller. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI target;
    private final AtomicInteger putRecordsCalls = new AtomicInteger();
    /** What was done, by kind of fault, for the test to check that each happened. */
    private final Map<String, AtomicInteger> injected = Map.of("503", new AtomicInteger(), "500", new AtomicInteger(),
            "throttled", new AtomicInteger(), "connection", new AtomicInteger(), "partial", new AtomicInteger());

    FaultyKinesisProxy(URI target) throws IOException {
        this.target = target;
        // made as the local servers are, so that the JDK server's time limits hold whichever server a JVM makes first
        this.server = LocalHttp.create("faulty Kinesis proxy", 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    int injected(String fault) {
        return injected.get(fault).get();
    }

    @Override
    public void close() {
        LocalHttp.stop(server);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType == null || !contentType.startsWith("application/x-amz-json")) {
                answer(exchange, 400, "application/x-amz-json-1.1",
                        error("SerializationException", "this proxy reads JSON only; set aws.cborEnabled=false"));
                return;
            }
            if (!"Kinesis_20131202.PutRecords".equals(exchange.getRequestHeaders().getFirst("X-Amz-Target"))) {
                forward(exchange, body);
                return;
            }
            switch (putRecordsCalls.incrementAndGet() % 6) {
                case 1 -> fail(exchange, "503", 503, error("ServiceUnavailable", "injected"));
                case 2 -> fail(exchange, "500", 500, error("InternalFailure", "injected"));
                case 3 -> fail(exchange, "throttled", 400, error("ProvisionedThroughputExceededException", "injected"));
                // no answer at all: closing the exchange before any header closes the connection
                case 4 -> injected.get("connection").incrementAndGet();
                case 5 -> forwardTwoThirds(exchange, body);
                default -> forward(exchange, body);
            }
        }
    }

    private void fail(HttpExchange exchange, String fault, int status, byte[] body) throws IOException {
        injected.get(fault).incrementAndGet();
        answer(exchange, status, "application/x-amz-json-1.1", body);
    }

    /** Sends the records at positions 1, 2, 4, 5, ... to the server and fabricates throttling for 0, 3, 6, ... */
    private void forwardTwoThirds(HttpExchange exchange, byte[] body) throws IOException {
        ObjectNode request = (ObjectNode) JSON.readTree(body);
        ArrayNode records = (ArrayNode) request.get("Records");
        ArrayNode forwarded = JSON.createArrayNode();
        for (int i = 0; i < records.size(); i++) {
            if (i % 3 != 0) {
                forwarded.add(records.get(i));
            }
        }
        int dropped = records.size() - forwarded.size();
        if (dropped == 0) {
            forward(exchange, body);
            return;
        }
        injected.get("partial").addAndGet(dropped);
        request.set("Records", forwarded);
        HttpResponse<byte[]> response = send(exchange, JSON.writeValueAsBytes(request));
        if (response.statusCode() != 200) {
            answer(exchange, response);
            return;
        }
        ObjectNode answer = (ObjectNode) JSON.readTree(response.body());
        ArrayNode results = (ArrayNode) answer.get("Records");
        ArrayNode merged = JSON.createArrayNode();
        int next = 0;
        for (int i = 0; i < records.size(); i++) {
            merged.add(i % 3 != 0 ? results.get(next++) : JSON.createObjectNode()
                    .put("ErrorCode", "ProvisionedThroughputExceededException")
                    .put("ErrorMessage", "injected: rate exceeded for the shard"));
        }
        answer.set("Records", merged);
        answer.put("FailedRecordCount", answer.path("FailedRecordCount").asInt() + dropped);
        answer(exchange, 200, "application/x-amz-json-1.1", JSON.writeValueAsBytes(answer));
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException {
        answer(exchange, send(exchange, body));
    }

    private HttpResponse<byte[]> send(HttpExchange exchange, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().getRawPath()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase())) {
                values.forEach(value -> request.header(name, value));
            }
        });
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void answer(HttpExchange exchange, HttpResponse<byte[]> response) throws IOException {
        String contentType = response.headers().firstValue("Content-Type").orElse("application/x-amz-json-1.1");
        answer(exchange, response.statusCode(), contentType, response.body());
    }

    private static void answer(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
    }

    private static byte[] error(String type, String message) throws IOException {
        JsonNode error = JSON.createObjectNode().put("__type", type).put("message", message);
        return JSON.writeValueAsBytes(error);
    }

    static List<String> faults() {
        return List.of("503", "500", "throttled", "connection", "partial");
    }
}
