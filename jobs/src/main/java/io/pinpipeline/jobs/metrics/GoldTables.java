package io.pinpipeline.jobs.metrics;

import io.pinpipeline.jobs.catalog.JobCatalog;
import java.util.List;

/** The gold tables, in the order the batch DAG computes them: what the metrics of the job list write. */
public final class GoldTables {
    public static final List<String> ALL = JobCatalog.goldTables();

    private GoldTables() {
    }
}
