package io.pinpipeline.jobs.batch;

import io.pinpipeline.jobs.lake.LandedLines;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.report.CleaningReport;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.silver.CleaningCounts;
import io.pinpipeline.jobs.silver.CleaningFlow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch cleaning run, shared by {@link CleanPins}, {@link CleanGeo} and {@link CleanUsers}: the landed lines
 * of a date and of the lateness window's days before it, through the {@link CleaningFlow} into the kind's silver
 * table, the quarantine rows of those days replaced, the counts logged.
 */
public final class CleaningRun {
    private static final Logger LOG = LoggerFactory.getLogger(CleaningRun.class);

    private CleaningRun() {
    }

    public static CleaningReport run(Lake lake, RecordKind kind, LandingDate date) {
        long started = System.nanoTime();
        LandedLines landed = lake.landedLines(kind, date);
        CleaningCounts counts = CleaningFlow.run(lake, kind, landed.lines(), kind.silverTable(),
                (rows, count) -> lake.replaceQuarantine(kind, date, rows));
        CleaningReport report = new CleaningReport(kind, date, landed.folders(), landed.skippedFiles().size(), counts,
                (System.nanoTime() - started) / 1_000_000);
        LOG.info("{}", report);
        return report;
    }
}
