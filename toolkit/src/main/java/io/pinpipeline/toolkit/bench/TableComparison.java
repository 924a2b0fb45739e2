package io.pinpipeline.toolkit.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Whether two readings of a table hold the same rows: the same columns (names and types, in order), then the same
 * rows as a multiset, values compared exactly (doubles too: both readings compute the medians of integers, which
 * are exact in a DOUBLE). Pure: no I/O beyond running the two Datasets.
 */
public final class TableComparison {
    /** How many differing rows of each side a mismatch shows. */
    public static final int ROWS_SHOWN = 5;

    /** Two readings of a table that differ: why, and the first rows that only one of them holds. */
    public record Mismatch(String table, String problem, List<Row> onlyInSpark, List<Row> onlyInDuckDb) {
        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(table).append(": ").append(problem);
            onlyInSpark.forEach(row -> text.append("\n  only in Spark:  ").append(row));
            onlyInDuckDb.forEach(row -> text.append("\n  only in DuckDB: ").append(row));
            return text.toString();
        }
    }

    private TableComparison() {
    }

    /** The columns of a schema as {@code name TYPE}, as SPEC writes them ({@code ARRAY<DOUBLE>}, not its nullability). */
    public static List<String> columns(StructType schema) {
        return Arrays.stream(schema.fields()).map(field -> field.name() + " " + field.dataType().sql()).toList();
    }

    /** A mismatch when the declared columns differ: checked before any row is read. */
    public static Optional<Mismatch> compareColumns(String table, List<String> spark, List<String> duckdb) {
        if (spark.equals(duckdb)) {
            return Optional.empty();
        }
        return Optional.of(new Mismatch(table, "columns differ: Spark " + spark + ", DuckDB " + duckdb, List.of(), List.of()));
    }

    /**
     * Empty when both hold the same columns and the same rows (each as many times); otherwise the mismatch, with up
     * to {@value #ROWS_SHOWN} rows of each side that the other lacks, sorted so that the same run shows the same rows.
     */
    public static Optional<Mismatch> compare(String table, Dataset<Row> spark, Dataset<Row> duckdb) {
        Optional<Mismatch> columns = compareColumns(table, columns(spark.schema()), columns(duckdb.schema()));
        if (columns.isPresent()) {
            return columns;
        }
        Dataset<Row> onlyInSpark = spark.exceptAll(duckdb);
        Dataset<Row> onlyInDuckDb = duckdb.exceptAll(spark);
        long sparkExtra = onlyInSpark.count();
        long duckDbExtra = onlyInDuckDb.count();
        if (sparkExtra == 0 && duckDbExtra == 0) {
            return Optional.empty();
        }
        return Optional.of(new Mismatch(table,
                String.format("%d rows only in Spark, %d only in DuckDB (of %d and %d)", sparkExtra, duckDbExtra,
                        spark.count(), duckdb.count()),
                firstRows(onlyInSpark), firstRows(onlyInDuckDb)));
    }

    private static List<Row> firstRows(Dataset<Row> rows) {
        String[] names = Arrays.stream(rows.schema().fields()).map(StructField::name).toArray(String[]::new);
        return rows.sort(names[0], Arrays.copyOfRange(names, 1, names.length)).limit(ROWS_SHOWN).collectAsList();
    }
}
