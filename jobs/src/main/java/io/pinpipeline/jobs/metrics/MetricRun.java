package io.pinpipeline.jobs.metrics;

import io.pinpipeline.jobs.catalog.JobCatalog;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.report.MetricReport;
import io.pinpipeline.jobs.settings.JobArgs;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.jobs.spark.Sessions;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every metric job shares: its arguments, and an atomic overwrite of its gold table with a log line. */
public final class MetricRun {
    private static final Logger LOG = LoggerFactory.getLogger(MetricRun.class);

    private MetricRun() {
    }

    /**
     * A metric job's main: {@code --env}, {@code --set}, and {@code --date}, which is accepted so that every task
     * of the DAG takes the same parameters, and otherwise unused: a gold table is recomputed whole from silver.
     */
    public static void main(String[] args, String jobName, Function<Lake, MetricReport> run) {
        JobArgs jobArgs = JobArgs.parse(args);
        Settings settings = Settings.load(jobArgs);
        run.apply(new Lake(Sessions.getOrCreate(jobName), settings));
    }

    /**
     * Replaces the metric's gold table with its rows in one Delta commit, and logs what it read and wrote: the
     * tables that the job list says {@code metric} reads and writes.
     *
     * <p>A gold table holds a row or a few a group (a country, a year, an age group), so the rows are computed once
     * into the driver, counted there, and written from there: counting the table after writing it cost a second
     * Delta read a metric, and counting the plan would compute it twice.
     */
    public static MetricReport overwrite(Lake lake, JobCatalog.Job metric, Dataset<Row> rows) {
        long started = System.nanoTime();
        String table = metric.goldTable();
        List<Row> computed = rows.collectAsList();
        lake.overwrite(table, lake.spark().createDataFrame(computed, rows.schema()));
        MetricReport report = new MetricReport(table, metric.reads(), computed.size(), (System.nanoTime() - started) / 1_000_000);
        LOG.info("{}", report);
        return report;
    }
}
