package io.pinpipeline.toolkit.commands;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.pinpipeline.jobs.lake.Lake;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * {@code ./pipeline export --to DIR}: every table that exists to {@code DIR/<table>.jsonl}, one JSON object a
 * row, every column a key (null as JSON null), timestamps {@code yyyy-MM-dd HH:mm:ss[.SSSSSS]} in UTC, dates
 * {@code yyyy-MM-dd}, arrays as JSON arrays. Rows are sorted by every column, so two exports of equal tables
 * are equal files.
 */
public final class Export {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private Export() {
    }

    /** Exports the named tables that exist; returns each exported table's row count. */
    public static Map<String, Long> tables(Lake lake, List<String> tables, Path dir) {
        Map<String, Long> counts = new LinkedHashMap<>();
        try {
            Files.createDirectories(dir);
            for (String table : tables) {
                if (lake.exists(table)) {
                    counts.put(table, write(lake.read(table), dir.resolve(table + ".jsonl")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export to " + dir, e);
        }
        return counts;
    }

    static long write(Dataset<Row> table, Path file) throws IOException {
        String[] columns = table.columns();
        Column[] order = Arrays.stream(columns).map(functions::col).toArray(Column[]::new);
        long rows = 0;
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             JsonGenerator json = JSON.createGenerator(out)) {
            json.setRootValueSeparator(null);
            Iterator<Row> iterator = table.orderBy(order).toLocalIterator();
            while (iterator.hasNext()) {
                Row row = iterator.next();
                json.writeStartObject();
                for (int i = 0; i < columns.length; i++) {
                    json.writeFieldName(columns[i]);
                    writeValue(json, row.get(i));
                }
                json.writeEndObject();
                json.flush();
                out.write('\n');
                rows++;
            }
        }
        return rows;
    }

    private static void writeValue(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Instant instant) {
            json.writeString(timestamp(instant));
        } else if (value instanceof LocalDate date) {
            json.writeString(date.toString());
        } else if (value instanceof scala.collection.Seq<?> seq) {
            json.writeStartArray();
            for (Object element : scala.jdk.javaapi.CollectionConverters.asJava(seq)) {
                writeValue(json, element);
            }
            json.writeEndArray();
        } else if (value instanceof Integer || value instanceof Long) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double number) {
            json.writeNumber(number);
        } else if (value instanceof BigDecimal number) {
            json.writeNumber(number);
        } else if (value instanceof Boolean flag) {
            json.writeBoolean(flag);
        } else {
            json.writeString(value.toString());
        }
    }

    /** {@code yyyy-MM-dd HH:mm:ss}, with {@code .SSSSSS} only when there is a fraction of a second. */
    static String timestamp(Instant instant) {
        String seconds = SECONDS.format(instant);
        int micros = instant.getNano() / 1_000;
        return micros == 0 ? seconds : seconds + String.format(".%06d", micros);
    }
}
