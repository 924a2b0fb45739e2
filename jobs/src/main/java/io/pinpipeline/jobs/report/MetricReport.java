package io.pinpipeline.jobs.report;

import java.util.List;

/** What one metric run wrote: its gold table's rows, computed from the silver tables in {@code inputs}. */
public record MetricReport(String table, List<String> inputs, long rows, long millis) implements JobReport {
    @Override
    public String toString() {
        return String.format("%s: %d rows from silver %s, in %.1f s", table, rows, String.join(", ", inputs),
                millis / 1000.0);
    }
}
