package io.pinpipeline.toolkit.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.timestamp_micros;

import io.pinpipeline.jobs.clean.Quarantine;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.Columns;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The DuckDB reading against the tables the Spark jobs wrote: every silver and gold table, and the quarantine's
 * {@code kind, reason, raw, run_date} (its {@code source} names the same file in two spellings, a URI and a path;
 * {@code quarantined_at} is a clock). The DuckDB tables go to Spark through Parquet files in {@code exportFolder}.
 */
public final class DuckDbCheck {
    /** The quarantine's columns that both readings must agree on. */
    static final List<String> QUARANTINE_COLUMNS = List.of(Columns.KIND, Columns.REASON, Columns.RAW, Columns.RUN_DATE);

    private DuckDbCheck() {
    }

    /** The mismatches, table by table in {@link DuckDbReading#tables()} order; empty when every table is equal. */
    public static List<TableComparison.Mismatch> mismatches(Lake lake, DuckDbReading duckdb, Path exportFolder) {
        List<TableComparison.Mismatch> mismatches = new ArrayList<>();
        for (String table : DuckDbReading.tables()) {
            Dataset<Row> spark = lake.read(table);
            List<String> duckDbColumns = duckdb.columns(table);
            if (table.equals(Quarantine.TABLE)) {
                spark = spark.select(QUARANTINE_COLUMNS.stream().map(name -> col(name)).toArray(Column[]::new));
                duckDbColumns = duckDbColumns.stream()
                        .filter(column -> QUARANTINE_COLUMNS.contains(column.substring(0, column.indexOf(' ')))).toList();
            }
            var columns = TableComparison.compareColumns(table, TableComparison.columns(spark.schema()), duckDbColumns);
            if (columns.isPresent()) {
                mismatches.add(columns.get());
                continue;
            }
            Dataset<Row> duck = asDeclared(lake.spark().read().parquet(duckdb.export(table, exportFolder).toString()),
                    duckDbColumns);
            TableComparison.compare(table, spark, duck).ifPresent(mismatches::add);
        }
        return mismatches;
    }

    /** The exported rows with the declared columns, in order: TIMESTAMPs back from epoch microseconds. */
    private static Dataset<Row> asDeclared(Dataset<Row> exported, List<String> declared) {
        return exported.select(declared.stream().map(column -> {
            String name = column.substring(0, column.indexOf(' '));
            return column.endsWith(" TIMESTAMP") ? timestamp_micros(col(name)).as(name) : col(name);
        }).toArray(Column[]::new));
    }
}
