package io.pinpipeline.toolkit.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * Whether two readings of a table hold the same rows: the same columns (names and types, in order), then the same
 * rows as a multiset, values compared exactly (doubles too: both readings compute the medians of integers, which
 * are exact in a DOUBLE). Pure: no I/O beyond running the two Datasets.
 */
public final class TableComparison {
    /** How many differing rows of each side a mismatch shows. */
    public static final int ROWS_SHOWN = 5;
    /** How many differing rows are read at most (to count them, roughly, and show the first). */
    private static final int DIFFERENCES_READ = 1_000;

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
     * to {@value #ROWS_SHOWN} rows of each side that the other lacks, in sorted order, so that a run shows the same
     * rows each time. One Spark job: the rows of both sides, grouped, with how many more times Spark holds each.
     */
    public static Optional<Mismatch> compare(String table, Dataset<Row> spark, Dataset<Row> duckdb) {
        Optional<Mismatch> columns = compareColumns(table, columns(spark.schema()), columns(duckdb.schema()));
        if (columns.isPresent()) {
            return columns;
        }
        String[] names = spark.columns();
        String surplus = "_spark_surplus";
        // by position: the column names are equal, checked above
        Dataset<Row> differing = spark.withColumn(surplus, lit(1L))
                .union(duckdb.withColumn(surplus, lit(-1L)))
                .groupBy(Arrays.stream(names).map(name -> col(name)).toArray(Column[]::new))
                .agg(sum(col(surplus)).as(surplus))
                .filter(col(surplus).notEqual(0L))
                .sort(names[0], Arrays.copyOfRange(names, 1, names.length))
                .limit(DIFFERENCES_READ);
        List<Row> rows = differing.collectAsList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        List<Row> onlyInSpark = rows.stream().filter(row -> row.<Long>getAs(surplus) > 0).toList();
        List<Row> onlyInDuckDb = rows.stream().filter(row -> row.<Long>getAs(surplus) < 0).toList();
        String more = rows.size() == DIFFERENCES_READ ? "at least " : "";
        return Optional.of(new Mismatch(table,
                String.format("%s%d distinct rows more often in Spark, %s%d more often in DuckDB", more,
                        onlyInSpark.size(), more, onlyInDuckDb.size()),
                withoutSurplus(onlyInSpark), withoutSurplus(onlyInDuckDb)));
    }

    private static List<Row> withoutSurplus(List<Row> rows) {
        return rows.stream().limit(ROWS_SHOWN)
                .map(row -> RowFactory.create(IntStream.range(0, row.length() - 1).mapToObj(row::get).toArray()))
                .toList();
    }
}
