package io.pinpipeline.jobs.batch;

import static io.pinpipeline.jobs.records.Columns.IND;
import static io.pinpipeline.jobs.records.Columns.REASON;
import static io.pinpipeline.jobs.records.Columns.SOURCE;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.pinpipeline.jobs.clean.Cleaning;
import io.pinpipeline.jobs.clean.Deduplication;
import io.pinpipeline.jobs.clean.Quarantine;
import io.pinpipeline.jobs.clean.RawRecords;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.lake.MergeCounts;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.LandingDate;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch cleaning run, shared by {@link CleanPins}, {@link CleanGeo} and {@link CleanUsers}:
 * read the landed lines of a date, parse, clean, upsert silver on {@code ind}, replace the date's quarantine
 * rows, and log the counts.
 */
public final class CleaningRun {
    private static final Logger LOG = LoggerFactory.getLogger(CleaningRun.class);

    private CleaningRun() {
    }

    public static CleaningReport run(Lake lake, RecordKind kind, LandingDate date) {
        long started = System.nanoTime();
        Optional<Dataset<Row>> landed = lake.landedLines(kind, date);
        if (landed.isEmpty()) {
            LOG.warn("{} {}: nothing landed at {}; nothing to clean", kind.label(), date, lake.landingFolder(kind, date));
            return CleaningReport.nothingLanded(kind, date, millisSince(started));
        }
        // Parsed once and kept: the counts, the upsert and the quarantine all read it.
        Dataset<Row> records = RawRecords.withRawOnlyForQuarantine(
                        RawRecords.parse(RawRecords.withoutBlankLines(landed.get()), kind))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Row counts = records.agg(
                    count(lit(1)),
                    count(when(col(REASON).isNotNull(), lit(1))),
                    count(when(col(REASON).isNull(), lit(1))),
                    count_distinct(when(col(REASON).isNull(), col(IND)))).first();
            LOG.info("{} {}: parsed and counted in {} ms", kind.label(), date, millisSince(started));
            long linesRead = counts.getLong(0);
            long quarantined = counts.getLong(1);
            long valid = counts.getLong(2);

            Dataset<Row> silver = Cleaning.clean(kind,
                    Deduplication.onePerKey(RawRecords.valid(records), IND, SOURCE, RawRecords.RAW_HASH));
            MergeCounts merged = lake.upsert(kind.silverTable(), silver, IND);
            LOG.info("{} {}: upserted in {} ms", kind.label(), date, millisSince(started));
            lake.replaceQuarantine(kind, date, Quarantine.rows(records, kind));

            CleaningReport report = new CleaningReport(kind, date, linesRead, merged.sourceRows(),
                    valid - merged.sourceRows(), quarantined, merged.inserted(), merged.updated(),
                    millisSince(started));
            if (!report.addsUp() || counts.getLong(3) != merged.sourceRows()) {
                throw new IllegalStateException("counts do not add up, refusing to call this run done: " + report);
            }
            LOG.info("{}", report);
            return report;
        } finally {
            records.unpersist();
        }
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
