package io.pinpipeline.jobs.batch;

import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.LandingDate;

/**
 * What one cleaning run did. Nothing is dropped silently:
 * {@code linesRead = rowsUpserted + duplicatesCollapsed + rowsQuarantined}, and the run fails if it does not.
 */
public record CleaningReport(RecordKind kind, LandingDate date, long linesRead, long rowsUpserted,
                             long duplicatesCollapsed, long rowsQuarantined, long rowsInserted, long rowsUpdated,
                             long millis) {

    public static CleaningReport nothingLanded(RecordKind kind, LandingDate date, long millis) {
        return new CleaningReport(kind, date, 0, 0, 0, 0, 0, 0, millis);
    }

    public boolean addsUp() {
        return linesRead == rowsUpserted + duplicatesCollapsed + rowsQuarantined;
    }

    @Override
    public String toString() {
        return String.format("%s %s: %d lines read = %d rows upserted (%d new, %d changed) + %d duplicates collapsed"
                        + " + %d quarantined, in %.1f s",
                kind.label(), date, linesRead, rowsUpserted, rowsInserted, rowsUpdated, duplicatesCollapsed,
                rowsQuarantined, millis / 1000.0);
    }
}
