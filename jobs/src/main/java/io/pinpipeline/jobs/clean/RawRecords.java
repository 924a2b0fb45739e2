package io.pinpipeline.jobs.clean;

import static io.pinpipeline.jobs.records.Columns.IND;
import static io.pinpipeline.jobs.records.Columns.INDEX;
import static io.pinpipeline.jobs.records.Columns.RAW;
import static io.pinpipeline.jobs.records.Columns.REASON;
import static io.pinpipeline.jobs.records.Columns.SOURCE;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.pinpipeline.jobs.records.RecordKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;

/**
 * From landed lines to records: parses each line with the kind's all-STRING schema, applies the string rule
 * to every field, reads the key, and says why a record cannot be cleaned. Pure: no I/O, no settings.
 */
public final class RawRecords {
    public static final String NOT_AN_OBJECT = "not a JSON object";
    public static final String MISSING_KEY = "missing key";
    public static final String BAD_KEY = "key is not an integer in 0..9223372036854775807";
    /** A 64-bit hash of the raw line: a small, deterministic stand-in for the line when choosing among copies. */
    public static final String RAW_HASH = "raw_hash";

    /** Spark's JSON reader accepts single quotes by default; JSON does not. */
    private static final Map<String, String> STRICT_JSON = Map.of("mode", "PERMISSIVE", "allowSingleQuotes", "false");

    private RawRecords() {
    }

    /** Drops lines that are empty or only whitespace (space, tab, CR): they are not records and are not counted. */
    public static Dataset<Row> withoutBlankLines(Dataset<Row> lines) {
        RequiredColumns.check(lines, "withoutBlankLines", RAW);
        return lines.filter(not(col(RAW).rlike("^\\s*$")));
    }

    /**
     * Parses lines into records of one kind.
     *
     * <p>In: {@code raw} (the line), {@code source} (where it came from). Out: {@code raw}, {@code source},
     * {@code raw_hash} (xxhash64 of the line), every input field of the kind as a trimmed STRING (empty is null; unknown fields are dropped),
     * {@code ind} BIGINT (the key: for pins {@code index}, or {@code ind} when {@code index} is null), and
     * {@code reason}: null for a record that can be cleaned, otherwise why it goes to quarantine
     * (not one JSON object; missing key; a key that is not a non-negative BIGINT).
     */
    public static Dataset<Row> parse(Dataset<Row> lines, RecordKind kind) {
        RequiredColumns.check(lines, "parse", RAW, SOURCE);
        String parsed = "_parsed";
        List<Column> fields = new ArrayList<>();
        fields.add(col(RAW));
        fields.add(col(SOURCE));
        fields.add(xxhash64(col(RAW)).as(RAW_HASH));
        for (StructField field : kind.inputSchema().fields()) {
            fields.add(Fields.trimmedOrNull(col(parsed + "." + field.name())).as(field.name()));
        }
        Dataset<Row> records = lines
                .withColumn(parsed, from_json(col(RAW), kind.inputSchema(), STRICT_JSON))
                .withColumn("_is_object", JsonLines.isOneObjectFunction().apply(col(RAW)))
                .select(concat(fields, col("_is_object")));
        Column keyText = kind == RecordKind.PIN ? coalesce(col(INDEX), col(IND)) : col(IND);
        Column key = Fields.nonNegativeLong(keyText);
        Column reason = when(col("_is_object").isNull().or(col("_is_object").equalTo(false)), lit(NOT_AN_OBJECT))
                .when(keyText.isNull(), lit(MISSING_KEY))
                .when(key.isNull(), lit(BAD_KEY));
        Dataset<Row> keyed = records.withColumn(REASON, reason).withColumn(IND, key).drop("_is_object");
        return kind == RecordKind.PIN ? keyed.drop(INDEX) : keyed;
    }

    /** The records that can be cleaned. */
    public static Dataset<Row> valid(Dataset<Row> records) {
        RequiredColumns.check(records, "valid", REASON);
        return records.filter(col(REASON).isNull()).drop(REASON);
    }

    /**
     * Keeps the raw line only where the quarantine needs it (records with a reason): a valid record's content
     * is in its fields, and its {@code raw_hash} still tells copies apart. Halves what a run keeps in memory.
     */
    public static Dataset<Row> withRawOnlyForQuarantine(Dataset<Row> records) {
        RequiredColumns.check(records, "withRawOnlyForQuarantine", RAW, REASON);
        return records.withColumn(RAW, when(col(REASON).isNotNull(), col(RAW)));
    }

    private static Column[] concat(List<Column> columns, Column last) {
        List<Column> all = new ArrayList<>(columns);
        all.add(last);
        return all.toArray(Column[]::new);
    }
}
