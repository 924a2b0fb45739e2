package io.pinpipeline.toolkit.local;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;

/**
 * The local stand-in for API Gateway's Kinesis proxy integration, the route the original emulator sent to:
 * {@code PUT <mount>/streams/{stream}/record} with {@code {"StreamName", "Data", "PartitionKey"}} becomes a
 * Kinesis {@code PutRecord} of {@code Data} to {@code {stream}}, and Kinesis's answer comes back as the gateway
 * passes it through: 200 with {@code {"SequenceNumber", "ShardId"}}.
 *
 * <ul>
 *   <li>The record's data is the JSON text of {@code Data} exactly as the client sent it, as UTF-8; if
 *       {@code Data} is a JSON string, its value. The original's mapping template for this route does
 *       {@code $util.base64Encode($input.json('$.Data'))}, which writes {@code Data} anew: the same text for the
 *       compact one-line objects the emulator sends ({@code KinesisApiSink}), though it would keep a string's
 *       quotes.</li>
 *   <li>The stream is the path's, as in the template ({@code $input.params('stream-name')}); the body's
 *       {@code StreamName} is not used.</li>
 *   <li>Errors: 400 for a body that is not such an object, 404 for another path, 405 for another method.
 *       Kinesis's errors come back with their {@code __type} and message, as a gateway whose integration
 *       responses map the AWS status: throttling 429, Kinesis 5xx or no answer from Kinesis 503, other
 *       Kinesis errors (a missing stream, a bad key) 400.</li>
 * </ul>
 *
 * The handler is mounted at a context whose path ends in {@code /streams/} (paths {@code {stream}/record}
 * below it), or at any other context (paths {@code streams/{stream}/record} below it). It may serve many
 * requests at once: give the server an executor.
 *
 * <pre>{@code server.createContext("/streams/", new KinesisProxyHandler(kinesisClient));}</pre>
 */
public final class KinesisProxyHandler implements HttpHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RECORD_ROUTE = Pattern.compile("([A-Za-z0-9_.-]{1,128})/record");
    private static final Set<String> THROTTLING = Set.of("ProvisionedThroughputExceededException",
            "LimitExceededException", "KMSThrottlingException");

    private final KinesisClient kinesis;

    public KinesisProxyHandler(KinesisClient kinesis) {
        this.kinesis = kinesis;
    }

    /** A PutRecord the body asks for: the record's data and partition key. */
    record Put(byte[] data, String partitionKey) {
    }

    /** A request this handler answers with an error of its own, before Kinesis is asked. */
    static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Answer answer;
            try {
                answer = answer(exchange);
            } catch (RuntimeException e) {
                answer = new Answer(500, message("internal error: " + e));
            }
            byte[] bytes = JSON.writeValueAsBytes(answer.body());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private Answer answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        Optional<String> stream = stream(exchange.getHttpContext().getPath(), path);
        if (stream.isEmpty()) {
            return new Answer(404, message("no route " + path + " (PUT .../streams/{stream}/record)"));
        }
        if (!"PUT".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "PUT");
            return new Answer(405, message(exchange.getRequestMethod() + " not allowed here: PUT a record"));
        }
        try (InputStream body = exchange.getRequestBody()) {
            return put(stream.get(), parse(body.readAllBytes()));
        } catch (BadRequest e) {
            return new Answer(400, message(e.getMessage()));
        }
    }

    /** Puts the record and turns Kinesis's answer, or error, into the gateway's status and body. */
    private Answer put(String stream, Put put) {
        try {
            PutRecordResponse response = kinesis.putRecord(request -> request.streamName(stream)
                    .partitionKey(put.partitionKey())
                    .data(SdkBytes.fromByteArrayUnsafe(put.data())));
            ObjectNode body = JSON.createObjectNode()
                    .put("SequenceNumber", response.sequenceNumber())
                    .put("ShardId", response.shardId());
            if (response.encryptionType() != null) {
                body.put("EncryptionType", response.encryptionTypeAsString());
            }
            return new Answer(200, body);
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            String text = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
            int status = e.isThrottlingException() || THROTTLING.contains(String.valueOf(code)) ? 429
                    : e.statusCode() >= 500 ? 503
                    : 400;
            return new Answer(status, JSON.createObjectNode().put("__type", code).put("message", text));
        } catch (SdkException e) {
            // Kinesis did not answer (connection refused, timeout): the client may try again later
            return new Answer(503, message("Kinesis did not answer: " + e.getMessage()));
        }
    }

    /**
     * The stream a request path names, relative to the handler's context: {@code {stream}/record} under a context
     * ending in {@code /streams/}, else {@code streams/{stream}/record}.
     */
    static Optional<String> stream(String contextPath, String path) {
        String mount = contextPath.endsWith("/") ? contextPath : contextPath + "/";
        if (!path.startsWith(mount)) {
            return Optional.empty();
        }
        String route = path.substring(mount.length());
        if (!mount.endsWith("/streams/")) {
            if (!route.startsWith("streams/")) {
                return Optional.empty();
            }
            route = route.substring("streams/".length());
        }
        Matcher matcher = RECORD_ROUTE.matcher(route);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /**
     * Reads {@code {"StreamName": ..., "Data": ..., "PartitionKey": "..."}}. Data keeps the client's text: an
     * object or array as it stands in the body, a string as its value, a number or boolean as written.
     */
    static Put parse(byte[] body) throws BadRequest {
        String text = new String(body, StandardCharsets.UTF_8);
        byte[] data = null;
        String partitionKey = null;
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new BadRequest("the body is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "Data" -> data = data(parser, value, text);
                    case "PartitionKey" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw new BadRequest("PartitionKey is not a string");
                        }
                        partitionKey = parser.getText();
                    }
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new BadRequest("more after the body's JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new BadRequest("the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequest("the body could not be read: " + e.getMessage());
        }
        if (data == null) {
            throw new BadRequest("the body has no Data");
        }
        if (partitionKey == null || partitionKey.isEmpty()) {
            throw new BadRequest("the body has no PartitionKey");
        }
        return new Put(data, partitionKey);
    }

    private static byte[] data(JsonParser parser, JsonToken value, String text) throws IOException, BadRequest {
        return switch (value) {
            case START_OBJECT, START_ARRAY -> {
                int start = (int) parser.currentTokenLocation().getCharOffset();
                parser.skipChildren();
                int end = (int) parser.currentTokenLocation().getCharOffset() + 1;
                yield text.substring(start, end).getBytes(StandardCharsets.UTF_8);
            }
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE ->
                    parser.getText().getBytes(StandardCharsets.UTF_8);
            default -> throw new BadRequest("Data is " + value + ": a record needs data");
        };
    }

    /** What the gateway answers: a status and a JSON body. */
    private record Answer(int status, ObjectNode body) {
    }

    private static ObjectNode message(String text) {
        return JSON.createObjectNode().put("message", text);
    }
}
