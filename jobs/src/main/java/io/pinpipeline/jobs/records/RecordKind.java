package io.pinpipeline.jobs.records;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The three record kinds a post is sent as, with the fields the source database holds (SPEC 2).
 * Every input field is read as a STRING, never inferred: a bad value must become a null or a quarantine
 * row, not a failed job.
 */
public enum RecordKind {
    PIN("pin", List.of("index", "ind", "unique_id", "title", "description", "poster_name", "follower_count",
            "tag_list", "is_image_or_video", "image_src", "downloaded", "save_location", "category")),
    GEO("geo", List.of("ind", "timestamp", "latitude", "longitude", "country")),
    USER("user", List.of("ind", "first_name", "last_name", "age", "date_joined"));

    private final String label;
    private final StructType inputSchema;

    RecordKind(String label, List<String> inputFields) {
        this.label = label;
        this.inputSchema = new StructType(inputFields.stream()
                .map(name -> DataTypes.createStructField(name, DataTypes.StringType, true))
                .toArray(StructField[]::new));
    }

    /** The kind's name as written in topics, tables and the quarantine's {@code kind} column: pin, geo, user. */
    public String label() {
        return label;
    }

    /** All input fields as nullable STRING columns, in the source table's order. */
    public StructType inputSchema() {
        return inputSchema;
    }

    /** The Kafka topic, also the landing folder under {@code topics/}: {@code <prefix>.<kind>}. */
    public String topic(String prefix) {
        return prefix + "." + label;
    }

    /** The Kinesis stream: {@code streaming-<prefix>-<kind>}. */
    public String stream(String prefix) {
        return "streaming-" + prefix + "-" + label;
    }

    /** The silver table of the batch lane. */
    public String silverTable() {
        return label;
    }

    /** The table of the streaming lane: {@code <prefix>_<kind>_table}. */
    public String streamingTable(String prefix) {
        return prefix + "_" + label + "_table";
    }

    public static RecordKind fromLabel(String label) {
        for (RecordKind kind : values()) {
            if (kind.label.equals(label.toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown record kind '" + label + "' (pin, geo or user)");
    }
}
