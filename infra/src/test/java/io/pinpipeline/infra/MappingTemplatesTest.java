package io.pinpipeline.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.apache.velocity.runtime.RuntimeConstants;
import org.junit.jupiter.api.Test;

/**
 * The Kinesis proxy's mapping templates rendered with Velocity, as API Gateway renders them, for the requests the
 * emulator's kinesis-api sink and AWS's tutorial clients send; each result must parse as the JSON body the Kinesis
 * action takes (its members, their types, the record's data base64 of the record's JSON).
 */
class MappingTemplatesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STREAM = "streaming-0a1b2c3d4e5f-pin";
    private static final String PIN = "{\"index\":7528,\"unique_id\":\"fbe53c66\",\"title\":\"Say \\\"hi\\\"\",\"follower_count\":\"5k\"}";

    @Test
    void put_record_sends_the_records_json_as_data_and_the_paths_stream() throws Exception {
        // exactly what KinesisApiSink sends: Data is the record's JSON object, embedded
        String body = "{\"StreamName\": \"" + STREAM + "\", \"Data\": " + PIN + ", \"PartitionKey\": \"7528\"}";
        JsonNode request = kinesisRequest("PutRecord", render(MappingTemplates.PUT_RECORD, body, STREAM));
        assertThat(request.path("StreamName").asText()).isEqualTo(STREAM);
        assertThat(request.path("PartitionKey").asText()).isEqualTo("7528");
        assertThat(JSON.readTree(Base64.getDecoder().decode(request.path("Data").asText()))).isEqualTo(JSON.readTree(PIN));
    }

    @Test
    void put_records_sends_each_records_json_and_key() throws Exception {
        String body = "{\"records\": [{\"data\": " + PIN + ", \"partition-key\": \"7528\"},"
                + " {\"data\": {\"ind\": 2, \"country\": \"Chad\"}, \"partition-key\": \"2\"}]}";
        JsonNode request = kinesisRequest("PutRecords", render(MappingTemplates.PUT_RECORDS, body, STREAM));
        assertThat(request.path("StreamName").asText()).isEqualTo(STREAM);
        JsonNode records = request.path("Records");
        assertThat(records.size()).isEqualTo(2);
        assertThat(JSON.readTree(Base64.getDecoder().decode(records.get(0).path("Data").asText()))).isEqualTo(JSON.readTree(PIN));
        assertThat(records.get(0).path("PartitionKey").asText()).isEqualTo("7528");
        assertThat(new String(Base64.getDecoder().decode(records.get(1).path("Data").asText()), StandardCharsets.UTF_8))
                .isEqualTo("{\"ind\":2,\"country\":\"Chad\"}");
    }

    @Test
    void create_stream_takes_the_shard_count_from_the_body_or_one() throws Exception {
        JsonNode given = kinesisRequest("CreateStream", render(MappingTemplates.CREATE_STREAM, "{\"ShardCount\": 4}", STREAM));
        assertThat(given.path("ShardCount").asInt()).isEqualTo(4);
        assertThat(given.path("StreamName").asText()).isEqualTo(STREAM);
        JsonNode empty = kinesisRequest("CreateStream", render(MappingTemplates.CREATE_STREAM, "{}", STREAM));
        assertThat(empty.path("ShardCount").asInt()).isEqualTo(1);
    }

    @Test
    void describe_delete_and_list_name_only_what_their_actions_take() throws Exception {
        assertThat(kinesisRequest("DescribeStream", render(MappingTemplates.DESCRIBE_STREAM, "", STREAM)))
                .isEqualTo(JSON.readTree("{\"StreamName\": \"" + STREAM + "\"}"));
        assertThat(kinesisRequest("DeleteStream", render(MappingTemplates.DELETE_STREAM, "", STREAM)))
                .isEqualTo(JSON.readTree("{\"StreamName\": \"" + STREAM + "\"}"));
        assertThat(kinesisRequest("ListStreams", render(MappingTemplates.LIST_STREAMS, "", null)).size()).isZero();
    }

    @Test
    void a_broken_template_fails() {
        // a comma lost between two members: Velocity renders it, Kinesis could not parse it
        String broken = MappingTemplates.read(MappingTemplates.PUT_RECORD).replace("\"StreamName\": \"$input.params('stream-name')\",",
                "\"StreamName\": \"$input.params('stream-name')\"");
        assertThatThrownBy(() -> kinesisRequest("PutRecord", renderText(broken, "{\"Data\": {}, \"PartitionKey\": \"1\"}", STREAM)))
                .hasMessageContaining("not JSON");
        // a member Kinesis does not know
        String unknown = MappingTemplates.read(MappingTemplates.DESCRIBE_STREAM).replace("\"StreamName\"", "\"Stream\"");
        assertThatThrownBy(() -> kinesisRequest("DescribeStream", renderText(unknown, "", STREAM)))
                .hasMessageContaining("Stream");
        // a template Velocity cannot parse
        assertThatThrownBy(() -> renderText("#if($input.path('$.x') {}", "{}", STREAM)).isInstanceOf(RuntimeException.class);
    }

    // --- API Gateway's template context: $input and $util, over a request body and a path parameter ---

    private static String render(String template, String body, String streamName) {
        return renderText(MappingTemplates.read(template), body, streamName);
    }

    private static String renderText(String template, String body, String streamName) {
        VelocityEngine velocity = new VelocityEngine();
        // API Gateway's VTL takes hyphens in names ($elem.partition-key); so does Velocity with this flag.
        velocity.setProperty(RuntimeConstants.PARSER_HYPHEN_ALLOWED, true);
        velocity.setProperty(RuntimeConstants.RUNTIME_REFERENCES_STRICT, false);
        velocity.init();
        VelocityContext context = new VelocityContext();
        context.put("input", new Input(body, streamName == null ? Map.of() : Map.of("stream-name", streamName)));
        context.put("util", new Util());
        StringWriter out = new StringWriter();
        velocity.evaluate(context, out, "template", template);
        return out.toString();
    }

    /** {@code $input}: the request's path parameters and its JSON body, read with simple JSONPath ($, $.a.b, $.a[0].b). */
    public static final class Input {
        private final JsonNode body;
        private final Map<String, String> params;

        Input(String body, Map<String, String> params) {
            try {
                this.body = body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("test body is not JSON: " + body, e);
            }
            this.params = params;
        }

        public String params(String name) {
            return params.getOrDefault(name, "");
        }

        /** The value at the path as Velocity sees it: objects as maps, arrays as lists, missing as "". */
        public Object path(String path) {
            JsonNode node = at(path);
            return node.isMissingNode() || node.isNull() ? "" : JSON.convertValue(node, Object.class);
        }

        /** The JSON text of the value at the path. */
        public String json(String path) {
            return at(path).toString();
        }

        private JsonNode at(String path) {
            if (!path.startsWith("$")) {
                throw new IllegalArgumentException("not a JSONPath: " + path);
            }
            JsonNode node = body;
            for (String step : path.substring(1).split("\\.")) {
                if (step.isEmpty()) {
                    continue;
                }
                String name = step.replaceAll("\\[.*", "");
                node = node.path(name);
                java.util.regex.Matcher index = java.util.regex.Pattern.compile("\\[(\\d+)]").matcher(step);
                while (index.find()) {
                    node = node.path(Integer.parseInt(index.group(1)));
                }
            }
            return node;
        }
    }

    /** {@code $util}: the functions the templates use. */
    public static final class Util {
        public String base64Encode(String text) {
            return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        public String escapeJavaScript(Object text) {
            return String.valueOf(text).replace("\\", "\\\\").replace("\"", "\\\"").replace("'", "\\'");
        }
    }

    // --- what Kinesis takes: each action's request members and their JSON types ---

    private static final Map<String, Map<String, String>> MEMBERS = Map.of(
            "PutRecord", Map.of("StreamName", "string", "Data", "base64", "PartitionKey", "string",
                    "ExplicitHashKey", "string", "SequenceNumberForOrdering", "string", "StreamARN", "string"),
            "PutRecords", Map.of("StreamName", "string", "Records", "records", "StreamARN", "string"),
            "CreateStream", Map.of("StreamName", "string", "ShardCount", "integer", "StreamModeDetails", "object"),
            "DescribeStream", Map.of("StreamName", "string", "Limit", "integer", "ExclusiveStartShardId", "string",
                    "StreamARN", "string"),
            "DeleteStream", Map.of("StreamName", "string", "EnforceConsumerDeletion", "boolean", "StreamARN", "string"),
            "ListStreams", Map.of("Limit", "integer", "ExclusiveStartStreamName", "string", "NextToken", "string"));
    private static final Map<String, Set<String>> REQUIRED = Map.of(
            "PutRecord", Set.of("Data", "PartitionKey"), "PutRecords", Set.of("Records"), "CreateStream", Set.of("StreamName"),
            "DescribeStream", Set.of(), "DeleteStream", Set.of(), "ListStreams", Set.of());

    /** Parses a rendered body as Kinesis would, failing on anything the action does not take. */
    static JsonNode kinesisRequest(String action, String rendered) {
        JsonNode request;
        try {
            request = JSON.readTree(rendered);
        } catch (JsonProcessingException e) {
            throw new AssertionError(action + ": the rendered template is not JSON: " + e.getOriginalMessage() + "\n" + rendered);
        }
        if (request == null || !request.isObject()) {
            throw new AssertionError(action + ": the rendered template is not a JSON object:\n" + rendered);
        }
        Map<String, String> members = MEMBERS.get(action);
        for (Iterator<Map.Entry<String, JsonNode>> fields = request.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String type = members.get(field.getKey());
            if (type == null) {
                throw new AssertionError(action + " takes no member " + field.getKey() + ":\n" + rendered);
            }
            check(action + "." + field.getKey(), type, field.getValue());
        }
        for (String required : REQUIRED.get(action)) {
            if (!request.has(required)) {
                throw new AssertionError(action + " needs " + required + ":\n" + rendered);
            }
        }
        return request;
    }

    private static void check(String member, String type, JsonNode value) {
        boolean ok = switch (type) {
            case "string" -> value.isTextual() && !value.asText().isEmpty();
            case "integer" -> value.isIntegralNumber();
            case "boolean" -> value.isBoolean();
            case "object" -> value.isObject();
            case "base64" -> value.isTextual() && isBase64(value.asText());
            case "records" -> value.isArray() && !value.isEmpty() && value.size() <= 500 && allRecords(member, value);
            default -> false;
        };
        if (!ok) {
            throw new AssertionError(member + ": " + value + " is not a " + type);
        }
    }

    private static boolean allRecords(String member, JsonNode records) {
        for (JsonNode record : records) {
            if (!record.isObject() || record.size() != 2) {
                return false;
            }
            check(member + ".Data", "base64", record.path("Data"));
            check(member + ".PartitionKey", "string", record.path("PartitionKey"));
        }
        return true;
    }

    private static boolean isBase64(String text) {
        try {
            return !text.isEmpty() && Base64.getDecoder().decode(text).length > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
