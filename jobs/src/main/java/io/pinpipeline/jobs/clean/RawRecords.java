package io.pinpipeline.jobs.clean;

import static io.pinpipeline.jobs.records.Columns.IND;
import static io.pinpipeline.jobs.records.Columns.INDEX;
import static io.pinpipeline.jobs.records.Columns.RAW;
import static io.pinpipeline.jobs.records.Columns.REASON;
import static io.pinpipeline.jobs.records.Columns.SOURCE;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.is_valid_utf8;
import static org.apache.spark.sql.functions.left;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_valid_utf8;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.trim;
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
    /** A line over the configured limit, quarantined without being parsed (SPEC 2). */
    public static final String LINE_TOO_LONG = "line too long";
    /** Compressed bytes in a file named {@code .json}: the line starts with gzip's magic number. */
    public static final String GZIP_DATA = "gzip data in a .json file (a compressed file must be named .json.gz)";
    public static final String INVALID_UTF8 = "invalid UTF-8";
    /** JSON text never holds a raw NUL: it is binary data or a broken writer. */
    public static final String NUL_BYTE = "NUL byte in the line";
    /** How much of a too-long line the quarantine keeps as {@code raw}; the whole line stays in its landing file. */
    public static final int TOO_LONG_RAW_CHARS = 65_536;
    /** A 64-bit hash of the raw line: a small, deterministic stand-in for the line when choosing among copies. */
    public static final String RAW_HASH = "raw_hash";

    /** Spark's JSON reader accepts single quotes by default; JSON does not. */
    private static final Map<String, String> STRICT_JSON = Map.of("mode", "PERMISSIVE", "allowSingleQuotes", "false");

    private RawRecords() {
    }

    /** The whitespace of a blank line: Java's {@code \\s} (space, tab, LF, VT, FF, CR). */
    private static final String WHITESPACE = " \t\n\u000B\f\r";
    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};

    /**
     * Drops lines that are empty or only whitespace (space, tab, CR): they are not records and are not counted.
     * A line longer than {@code maxLineBytes} is never blank: {@link #parse} quarantines it as too long, and it is
     * not copied to find out (trimming a string copies it).
     */
    public static Dataset<Row> withoutBlankLines(Dataset<Row> lines, int maxLineBytes) {
        RequiredColumns.check(lines, "withoutBlankLines", RAW);
        // Only a line that starts with whitespace can be blank: trimming with a character list indexes every
        // character of the line, and almost every line starts with '{'.
        Column startsWithWhitespace = lit(false);
        for (String space : WHITESPACE.split("")) {
            // startsWith compares bytes; a substring of the first character would count every character of the line
            startsWithWhitespace = startsWithWhitespace.or(col(RAW).startsWith(space));
        }
        Column blank = col(RAW).equalTo("").or(startsWithWhitespace
                .and(octet_length(col(RAW)).leq(maxLineBytes))
                .and(trim(col(RAW), WHITESPACE).equalTo("")));
        return lines.filter(not(blank));
    }

    /**
     * Parses lines into records of one kind.
     *
     * <p>In: {@code raw} (the line), {@code source} (where it came from). Out: {@code raw}, {@code source},
     * {@code raw_hash} (xxhash64 of the line), every input field of the kind as a trimmed STRING (empty is null; unknown fields are dropped),
     * {@code ind} BIGINT (the key: for pins {@code index}, or {@code ind} when {@code index} is null), and
     * {@code reason}: null for a record that can be cleaned, otherwise why it goes to quarantine, first match
     * first: longer than {@code maxLineBytes} (not parsed; {@code raw} keeps its first {@value #TOO_LONG_RAW_CHARS}
     * characters), gzip data, invalid UTF-8 ({@code raw} keeps the line with each bad byte sequence replaced by
     * U+FFFD), a NUL byte, not one JSON object, missing key, a key that is not a non-negative BIGINT.
     */
    public static Dataset<Row> parse(Dataset<Row> lines, RecordKind kind, int maxLineBytes) {
        RequiredColumns.check(lines, "parse", RAW, SOURCE);
        Column line = col(RAW);
        Column tooLong = octet_length(line).gt(maxLineBytes);
        Column validUtf8 = is_valid_utf8(line);
        // Checked on the bytes, before anything turns the line into a Java string or parses it.
        Column lineProblem = when(tooLong, lit(LINE_TOO_LONG))
                .when(line.startsWith(lit(GZIP_MAGIC).cast("string")), lit(GZIP_DATA))
                .when(not(validUtf8), lit(INVALID_UTF8))
                .when(line.contains("\0"), lit(NUL_BYTE));
        Column keptRaw = when(tooLong, make_valid_utf8(left(line, lit(TOO_LONG_RAW_CHARS))))
                .when(not(validUtf8), make_valid_utf8(line))
                .otherwise(line);
        String problem = "_line_problem";
        String text = "_text";
        Dataset<Row> checked = lines
                .withColumn(problem, lineProblem)
                .withColumn(text, when(col(problem).isNull(), line))
                .withColumn(RAW, keptRaw);

        String parsed = "_parsed";
        List<Column> fields = new ArrayList<>();
        fields.add(col(RAW));
        fields.add(col(SOURCE));
        fields.add(xxhash64(col(RAW)).as(RAW_HASH));
        for (StructField field : kind.inputSchema().fields()) {
            fields.add(Fields.trimmedOrNull(col(parsed + "." + field.name())).as(field.name()));
        }
        fields.add(col(problem));
        Dataset<Row> records = checked
                .withColumn(parsed, from_json(col(text), kind.inputSchema(), STRICT_JSON))
                .withColumn("_is_object", JsonLines.isOneObject(col(text)))
                .select(concat(fields, col("_is_object")));
        Column keyText = kind == RecordKind.PIN ? coalesce(col(INDEX), col(IND)) : col(IND);
        Column key = Fields.nonNegativeLong(keyText);
        Column reason = when(col(problem).isNotNull(), col(problem))
                .when(col("_is_object").isNull().or(col("_is_object").equalTo(false)), lit(NOT_AN_OBJECT))
                .when(keyText.isNull(), lit(MISSING_KEY))
                .when(key.isNull(), lit(BAD_KEY));
        Dataset<Row> keyed = records.withColumn(REASON, reason).withColumn(IND, key).drop("_is_object", problem);
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
