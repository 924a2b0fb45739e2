package io.pinpipeline.toolkit.commands;

import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.toolkit.cli.Options;
import io.pinpipeline.toolkit.local.LocalSpark;
import io.pinpipeline.toolkit.report.Report;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** {@code ./pipeline report --to DIR}: {@code DIR/report.html} of the lake's tables ({@link Report}). */
public final class ReportCommand implements Command {
    @Override
    public String name() {
        return "report";
    }

    @Override
    public String usage() {
        return """
                  report   --to DIR                            DIR/report.html: a chart for each gold table, data-quality counts
                """;
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Options options = Options.parse(args, "to");
        Path dir = Path.of(options.required("to"));
        Settings settings = options.jobSettings();
        LocalSpark.with(spark -> out.println("report: " + Report.write(new Lake(spark, settings), dir, List.of())));
    }
}
