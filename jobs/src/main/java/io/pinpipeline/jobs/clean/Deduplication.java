package io.pinpipeline.jobs.clean;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/** Collapsing records that were sent more than once. */
public final class Deduplication {
    private Deduplication() {
    }

    /**
     * One row per key. Senders repeat records, and a repeated key carries identical data, so which copy
     * stays does not matter for the data; it is still fixed, so that a re-run never depends on the order in
     * which Spark happens to read files: the copy from the greatest {@code tieBreakers} wins (the batch
     * lane passes the source file, then a hash of the raw line). Removes no column.
     */
    public static Dataset<Row> onePerKey(Dataset<Row> records, String key, String... tieBreakers) {
        RequiredColumns.check(records, "onePerKey", key);
        RequiredColumns.check(records, "onePerKey", tieBreakers);
        Column[] order = Arrays.stream(tieBreakers).map(name -> col(name).desc_nulls_last())
                .toArray(Column[]::new);
        String rank = "_copy_rank";
        return records
                .withColumn(rank, row_number().over(Window.partitionBy(col(key)).orderBy(order)))
                .filter(col(rank).equalTo(1))
                .drop(rank);
    }
}
