package io.pinpipeline.jobs.stream;

import static io.pinpipeline.jobs.records.Columns.IND;
import static io.pinpipeline.jobs.records.Columns.REASON;
import static io.pinpipeline.jobs.records.Columns.SOURCE;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.pinpipeline.jobs.clean.Cleaning;
import io.pinpipeline.jobs.clean.Deduplication;
import io.pinpipeline.jobs.clean.Quarantine;
import io.pinpipeline.jobs.clean.RawRecords;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.lake.MergeCounts;
import io.pinpipeline.jobs.records.RecordKind;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * What a streaming job does with one micro-batch of stream records ({@code raw}: the record's data as text,
 * {@code source}: {@code kinesis:<stream>/<shard>/<sequence number>}): the batch lane's parsing, cleaning and
 * de-duplication, an upsert into {@code <prefix>_<kind>_table} on {@code ind}, and the bad records appended to
 * quarantine. A micro-batch replayed after a crash changes nothing: the upsert rewrites no equal row, and Delta
 * skips a quarantine append whose (query, batch) it has committed.
 */
public final class MicroBatch {
    private MicroBatch() {
    }

    /** What one micro-batch did, in records. */
    public record Counts(long batchId, long read, long upserted, long inserted, long updated, long duplicates,
                         long quarantined) {
        @Override
        public String toString() {
            return String.format("micro-batch %d: %d records read = %d rows upserted (%d new, %d changed) + %d duplicates"
                    + " collapsed + %d quarantined", batchId, read, upserted, inserted, updated, duplicates, quarantined);
        }
    }

    public static Counts apply(Lake lake, String table, RecordKind kind, String query, Dataset<Row> batch, long batchId) {
        Dataset<Row> records = RawRecords.withRawOnlyForQuarantine(
                        RawRecords.parse(RawRecords.withoutBlankLines(batch), kind))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Row counts = records.agg(count(lit(1)), count(when(col(REASON).isNotNull(), lit(1)))).first();
            long read = counts.getLong(0);
            long quarantined = counts.getLong(1);
            if (read == 0) {
                return new Counts(batchId, 0, 0, 0, 0, 0, 0);
            }
            Dataset<Row> rows = Cleaning.clean(kind,
                    Deduplication.onePerKey(RawRecords.valid(records), IND, SOURCE, RawRecords.RAW_HASH));
            MergeCounts merged = lake.upsert(table, rows, IND);
            if (quarantined > 0) {
                lake.appendQuarantine(Quarantine.rows(records, kind), query, batchId);
            }
            return new Counts(batchId, read, merged.sourceRows(), merged.inserted(), merged.updated(),
                    read - quarantined - merged.sourceRows(), quarantined);
        } finally {
            records.unpersist();
        }
    }
}
