package io.pinpipeline.toolkit.commands;

import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.toolkit.cli.Options;
import io.pinpipeline.toolkit.local.LocalSpark;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** {@code ./pipeline export --to DIR}: every table to {@code DIR/<table>.jsonl} ({@link Export}), a line each. */
public final class ExportCommand implements Command {
    @Override
    public String name() {
        return "export";
    }

    @Override
    public String usage() {
        return """
                  export   --to DIR                            every table to DIR/<table>.jsonl
                """;
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Options options = Options.parse(args, "to");
        Path dir = Path.of(options.required("to"));
        Settings settings = options.jobSettings();
        LocalSpark.with(spark -> Export.tables(new Lake(spark, settings), List.copyOf(settings.tableNames()), dir)
                .forEach((table, rows) -> out.printf("%s/%s.jsonl: %d rows%n", dir, table, rows)));
    }
}
