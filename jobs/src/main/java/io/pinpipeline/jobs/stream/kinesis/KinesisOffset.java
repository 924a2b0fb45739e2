package io.pinpipeline.jobs.stream.kinesis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.spark.sql.connector.read.streaming.Offset;

/**
 * Where a query stands in a stream: a {@link ShardPosition} per shard, kept in the checkpoint as JSON, e.g.
 * <pre>{@code
 * {"shardId-000000000000":{"after":"49590338271490256608559692538361571095921575989136588898","closed":true},
 *  "shardId-000000000001":{"after":null,"closed":false}}
 * }</pre>
 * A shard that is not listed has had nothing read from it: it starts at its trim horizon. The JSON is canonical
 * (shards sorted, fields in one order), because Spark compares offsets by their JSON to tell whether there is new
 * data.
 */
final class KinesisOffset extends Offset {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final KinesisOffset EMPTY = new KinesisOffset(new TreeMap<>());

    private final SortedMap<String, ShardPosition> shards;

    private KinesisOffset(SortedMap<String, ShardPosition> shards) {
        this.shards = Collections.unmodifiableSortedMap(shards);
    }

    static KinesisOffset of(Map<String, ShardPosition> shards) {
        return new KinesisOffset(new TreeMap<>(shards));
    }

    /** Every shard this offset names, by shard id, in order. */
    SortedMap<String, ShardPosition> shards() {
        return shards;
    }

    /** The shard's position; a shard not named here has had nothing read from it. */
    ShardPosition position(String shardId) {
        return shards.getOrDefault(shardId, ShardPosition.TRIM_HORIZON);
    }

    KinesisOffset with(String shardId, ShardPosition position) {
        TreeMap<String, ShardPosition> copy = new TreeMap<>(shards);
        copy.put(shardId, position);
        return new KinesisOffset(copy);
    }

    KinesisOffset withoutShards(Predicate<String> drop) {
        TreeMap<String, ShardPosition> copy = new TreeMap<>(shards);
        copy.keySet().removeIf(drop);
        return new KinesisOffset(copy);
    }

    @Override
    public String json() {
        ObjectNode root = JSON.createObjectNode();
        shards.forEach((shardId, position) -> {
            ObjectNode shard = root.putObject(shardId);
            shard.put("after", position.after());
            shard.put("closed", position.closed());
            if (position.atTimestamp() != null) {
                shard.put("atTimestamp", position.atTimestamp());
            }
        });
        return root.toString();
    }

    /** Reads what {@link #json()} wrote; anything else fails with a message that names what is wrong. */
    static KinesisOffset fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw invalid(json, "not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid(json, "not a JSON object");
        }
        TreeMap<String, ShardPosition> shards = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            JsonNode shard = field.getValue();
            JsonNode after = shard.path("after");
            JsonNode closed = shard.path("closed");
            JsonNode atTimestamp = shard.path("atTimestamp");
            if (!shard.isObject() || !(after.isTextual() || after.isNull()) || !closed.isBoolean()
                    || !(atTimestamp.isMissingNode() || atTimestamp.getNodeType() == JsonNodeType.NUMBER && atTimestamp.canConvertToLong())) {
                throw invalid(json, "shard " + field.getKey() + " needs {\"after\": string or null, \"closed\": boolean"
                        + "[, \"atTimestamp\": number]}, found " + shard);
            }
            try {
                shards.put(field.getKey(), new ShardPosition(after.isNull() ? null : after.asText(), closed.asBoolean(),
                        atTimestamp.isMissingNode() ? null : atTimestamp.asLong()));
            } catch (IllegalArgumentException e) {
                throw invalid(json, "shard " + field.getKey() + ": " + e.getMessage());
            }
        }
        return new KinesisOffset(shards);
    }

    private static IllegalArgumentException invalid(String json, String why) {
        return new IllegalArgumentException("not a " + KinesisSourceProvider.FORMAT + " offset (" + why + "): " + json);
    }
}
