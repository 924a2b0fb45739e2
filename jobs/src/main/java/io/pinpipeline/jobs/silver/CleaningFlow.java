package io.pinpipeline.jobs.silver;

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
import io.pinpipeline.jobs.lake.SourceKeys;
import io.pinpipeline.jobs.records.RecordKind;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * From landed lines (or stream records) to a silver table, the one flow that both lanes run: parse, clean,
 * collapse copies of a key, upsert on {@code ind}, write the bad records to quarantine, and check that every
 * record is accounted for. The lanes differ only in where their lines come from and in how their quarantine rows
 * are written ({@link QuarantineWrite}).
 */
public final class CleaningFlow {
    private static final String COPIES = "copies";
    /**
     * From how many valid records on only the copies of repeated keys are ranked, not every record: the narrow way
     * saves shuffling a day of rows (1M pins: 6 s) but takes three stages more, which cost more than they save for
     * a micro-batch or a small day.
     */
    static final long RANK_ONLY_COPIES_FROM = 100_000;

    private CleaningFlow() {
    }

    /** Writes a flow's quarantine rows ({@code kind, reason, raw, source, run_date}) as the lane owns them. */
    @FunctionalInterface
    public interface QuarantineWrite {
        /** {@code count} is how many rows {@code rows} holds, already measured. */
        void write(Dataset<Row> rows, long count);
    }

    /**
     * Runs the flow over {@code lines} ({@code raw, source}) of a kind into {@code table}. Fails, after writing,
     * when the counts do not add up: the run must not be called done then.
     */
    public static CleaningCounts run(Lake lake, RecordKind kind, Dataset<Row> lines, String table, QuarantineWrite quarantine) {
        // Parsed once and kept: the counts, the de-duplication and the quarantine all read it.
        int maxLineBytes = lake.settings().maxLineBytes();
        Dataset<Row> records = RawRecords.withRawOnlyForQuarantine(
                        RawRecords.parse(RawRecords.withoutBlankLines(lines, maxLineBytes), kind, maxLineBytes))
                .persist(StorageLevel.MEMORY_AND_DISK());
        // The valid records' keys and how often each occurs: small, and read by the counts and every pass of the
        // de-duplication.
        Dataset<Row> keyCounts = RawRecords.valid(records).groupBy(IND).agg(count(lit(1)).as(COPIES))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Row measured = records.agg(count(lit(1)), count(when(col(REASON).isNull(), lit(1)))).first();
            long read = measured.getLong(0);
            long valid = measured.getLong(1);
            SourceKeys keys = SourceKeys.of(keyCounts.select(IND), IND);
            long distinctKeys = keys.count();

            // Not cached: it is computed from the cached records, the count reads its keys alone, and MERGE reads it
            // whole once (all new keys) or twice, the first time its keys alone (which target files match).
            Dataset<Row> validRecords = RawRecords.valid(records);
            Dataset<Row> onePerKey = valid >= RANK_ONLY_COPIES_FROM
                    ? Deduplication.onePerKey(validRecords, keyCounts.filter(col(COPIES).gt(1)).select(IND), IND, SOURCE,
                            RawRecords.RAW_HASH)
                    : Deduplication.onePerKey(validRecords, IND, SOURCE, RawRecords.RAW_HASH);
            Dataset<Row> silver = Cleaning.clean(kind, onePerKey);
            long upserted = silver.count();
            MergeCounts merged = MergeCounts.NONE;
            if (upserted > 0) {
                merged = lake.upsert(table, silver, IND, keys);
            } else {
                lake.ensureTable(table, silver.schema(), IND);
            }
            Dataset<Row> bad = Quarantine.rows(records, kind);
            long quarantined = bad.count();
            quarantine.write(bad, quarantined);

            CleaningCounts counts = new CleaningCounts(read, upserted, merged.inserted(), merged.updated(),
                    valid - distinctKeys, quarantined);
            if (!counts.addsUp()) {
                throw new IllegalStateException(kind.label() + " into " + table
                        + ": counts do not add up, refusing to call this run done: " + counts);
            }
            return counts;
        } finally {
            keyCounts.unpersist();
            records.unpersist();
        }
    }
}
