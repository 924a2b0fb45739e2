package io.pinpipeline.jobs.clean;

import static org.apache.spark.sql.functions.broadcast;
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
        return firstOfEachKey(records, key, tieBreakers);
    }

    /** The keys that occur more than once in {@code records} (a null key among them if it does), one column. */
    public static Dataset<Row> repeatedKeys(Dataset<Row> records, String key) {
        RequiredColumns.check(records, "repeatedKeys", key);
        return records.groupBy(col(key)).count().filter(col("count").gt(1)).select(key);
    }

    /**
     * As {@link #onePerKey(Dataset, String, String...)}, with the {@link #repeatedKeys} of {@code records} already
     * found (a run that keeps them computes them once for every pass over its records).
     *
     * <p>Only the copies are ranked. A narrow aggregation of the keys finds those that occur more than once (about
     * one in nine in a day of the original emulator's posts), and only their rows are shuffled and sorted; every
     * other row passes through where it is. Ranking every full-width row instead shuffled the whole day. The keys
     * that repeat are broadcast: a hash set of at most the day's distinct keys, 8 bytes and some a key.
     * That takes three stages more, so it pays for a day of posts, not for a few thousand rows.
     */
    public static Dataset<Row> onePerKey(Dataset<Row> records, Dataset<Row> repeated, String key, String... tieBreakers) {
        RequiredColumns.check(records, "onePerKey", key);
        RequiredColumns.check(records, "onePerKey", tieBreakers);
        Dataset<Row> repeatedKeys = broadcast(repeated);
        // A null key never equals itself in a join: its rows are ranked with the copies, as one key.
        Dataset<Row> once = records.filter(col(key).isNotNull()).join(repeatedKeys, new String[] {key}, "left_anti");
        Dataset<Row> copies = records.join(repeatedKeys, new String[] {key}, "left_semi")
                .unionByName(records.filter(col(key).isNull()));
        Dataset<Row> chosen = firstOfEachKey(copies, key, tieBreakers);
        // A join on a key name puts the key first: back to the records' own column order.
        Column[] columns = Arrays.stream(records.columns()).map(name -> col(name)).toArray(Column[]::new);
        return once.unionByName(chosen).select(columns);
    }

    /** The row with the greatest {@code tieBreakers} of each key, by ranking every row of a key. */
    private static Dataset<Row> firstOfEachKey(Dataset<Row> records, String key, String... tieBreakers) {
        Column[] order = Arrays.stream(tieBreakers).map(name -> col(name).desc_nulls_last())
                .toArray(Column[]::new);
        String rank = "_copy_rank";
        return records
                .withColumn(rank, row_number().over(Window.partitionBy(col(key)).orderBy(order)))
                .filter(col(rank).equalTo(1))
                .drop(rank);
    }
}
