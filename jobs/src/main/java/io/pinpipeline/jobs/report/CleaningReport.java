package io.pinpipeline.jobs.report;

import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.silver.CleaningCounts;
import java.util.List;

/**
 * What one batch cleaning run did: the counts of its one flow over every landing folder it read (the date and
 * the days of the lateness window before it), how many files there it did not read, and the time it took.
 */
public record CleaningReport(RecordKind kind, LandingDate date, List<String> folders, long filesSkipped,
                             CleaningCounts counts, long millis) implements JobReport {

    public long linesRead() {
        return counts.read();
    }

    public long rowsUpserted() {
        return counts.upserted();
    }

    public long duplicatesCollapsed() {
        return counts.duplicates();
    }

    public long rowsQuarantined() {
        return counts.quarantined();
    }

    public long rowsInserted() {
        return counts.inserted();
    }

    public long rowsUpdated() {
        return counts.updated();
    }

    @Override
    public String toString() {
        return String.format("%s %s: %s, in %.1f s (from %s%s)", kind.label(), date, counts.describe("lines"),
                millis / 1000.0, filesSkipped == 0 ? "" : filesSkipped + " files skipped, ", String.join(", ", folders.stream().map(folder -> folder.substring(folder.lastIndexOf('/') + 1))
                        .toList()));
    }
}
