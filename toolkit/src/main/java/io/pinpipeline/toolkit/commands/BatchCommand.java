package io.pinpipeline.toolkit.commands;

import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.report.JobReport;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.toolkit.cli.BatchRun;
import io.pinpipeline.toolkit.cli.Options;
import io.pinpipeline.toolkit.local.LocalSpark;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code ./pipeline batch --date D|all}: the batch DAG's jobs for a date, in the DAG's order, in one local session. */
public final class BatchCommand implements Command {
    @Override
    public String name() {
        return "batch";
    }

    @Override
    public String usage() {
        return """
                  batch    --date D|all                        the batch DAG's jobs for a date, in the DAG's order
                """;
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Options options = Options.parse(args);
        LandingDate date = options.args().requiredDate();
        Settings settings = options.jobSettings();
        LocalSpark.with(spark -> batch(new Lake(spark, settings), date, out));
    }

    /** Runs the batch DAG's jobs for a date (see {@link BatchRun}), printing each report; returns them by job. */
    static Map<String, JobReport> batch(Lake lake, LandingDate date, PrintStream out) {
        Map<String, JobReport> reports = new LinkedHashMap<>();
        for (BatchRun.StageResult stage : BatchRun.run(lake, date)) {
            for (BatchRun.StepResult step : stage.steps()) {
                out.println(step.step().name() + ": " + step.report());
                reports.put(step.step().name(), step.report());
            }
        }
        return reports;
    }
}
