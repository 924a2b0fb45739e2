package io.pinpipeline.jobs.report;

/**
 * What a batch lane job's run reports: a cleaning job's counts ({@link CleaningReport}) or a metric's gold table
 * ({@link MetricReport}). Sealed, so that a caller that wants one kind matches on it and the compiler knows every
 * kind there is. (Java seals across packages only in a named module: the kinds live here, together.)
 */
public sealed interface JobReport permits CleaningReport, MetricReport {
    /** How long the run took. */
    long millis();
}
