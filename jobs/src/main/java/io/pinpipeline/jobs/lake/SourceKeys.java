package io.pinpipeline.jobs.lake;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The keys an upsert's rows hold, known before the MERGE, so that it reads only the target's files that can hold
 * one: Delta skips a file whose key statistics (min and max, which silver tables keep for the key) admit none of
 * them. Up to {@link #LISTED_UP_TO} keys (a micro-batch) are listed; more (a day) are taken as their range.
 *
 * <p>The narrowing is a conjunct that every matching target row meets anyway ({@code t.key = s.key} and s.key is
 * one of these), so the MERGE's result is the same with it; only the files it reads change. Without it, each
 * micro-batch's MERGE read every file the stream had written so far.
 */
public record SourceKeys(long count, Object min, Object max, List<Object> listed) {
    static final int LISTED_UP_TO = 1_000;

    /**
     * The keys in {@code keys}, a small dataset of the key column alone, one row per distinct key ({@code count}:
     * its rows; a null key, which matches nothing, is not listed).
     */
    public static SourceKeys of(Dataset<Row> keys, String key) {
        // A micro-batch's keys are read in one small job; only more than the list holds needs a second, for the range.
        List<Object> firstKeys = keys.select(key).limit(LISTED_UP_TO + 1).collectAsList().stream().map(row -> row.get(0)).toList();
        if (firstKeys.size() <= LISTED_UP_TO) {
            List<Object> listed = firstKeys.stream().filter(java.util.Objects::nonNull).toList();
            return new SourceKeys(firstKeys.size(), listed.stream().min(SourceKeys::compare).orElse(null),
                    listed.stream().max(SourceKeys::compare).orElse(null), listed);
        }
        Row stats = keys.agg(functions.count(functions.lit(1)), functions.min(col(key)), functions.max(col(key))).first();
        return new SourceKeys(stats.getLong(0), stats.get(1), stats.get(2), null);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        return ((Comparable) a).compareTo(b);
    }

    /** True when the rows hold no key: nothing in the target can match. */
    public boolean none() {
        return count == 0;
    }

    /** The condition on the target's key {@code column} that keeps every row a source key can match. */
    Column narrowing(String column) {
        return listed != null ? col(column).isin(listed.toArray()) : col(column).between(min, max);
    }
}
