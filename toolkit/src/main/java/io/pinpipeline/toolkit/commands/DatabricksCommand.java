package io.pinpipeline.toolkit.commands;

import io.pinpipeline.toolkit.cli.Options;
import io.pinpipeline.toolkit.local.LocalAirflow;
import io.pinpipeline.toolkit.local.LocalDatabricks;
import io.pinpipeline.toolkit.local.LocalServers;
import io.pinpipeline.toolkit.settings.ToolkitSettings;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code ./pipeline databricks}: a local Databricks workspace in the foreground ({@link LocalDatabricks}): upload the
 * job jar to it and point Airflow's Databricks connection at it, and the DAGs' jar tasks run on this machine. Its files
 * and run logs live in {@code local-data/databricks}; its runs are forgotten when it stops.
 */
public final class DatabricksCommand implements Command {
    /** Its default port: one the other local servers do not use. */
    static final int PORT = 8089;

    @Override
    public String name() {
        return "databricks";
    }

    @Override
    public String usage() {
        return """
                  databricks [--port P]                        a local Databricks workspace (Jobs runs, DBFS, volumes) for
                                                               Airflow's Databricks provider, until Ctrl-C
                """;
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Options options = Options.parse(args, "port");
        ToolkitSettings settings = options.settings();
        int port = options.positiveInt("port", PORT);
        Path root = LocalServers.localData(settings, "databricks");
        LocalDatabricks databricks = LocalDatabricks.start(port, root);
        Runtime.getRuntime().addShutdownHook(new Thread(databricks::close));
        printInstructions(databricks, root, out);
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * How to reach a started local Databricks. Its token, new at each start, is printed once, in the line that
     * exports it as DATABRICKS_TOKEN (what deploy reads); Airflow's connection takes it from there.
     */
    public static void printInstructions(LocalDatabricks databricks, Path root, PrintStream out) {
        out.printf("local Databricks: %s (files and run logs in %s)%n", databricks.url(), root);
        out.println("its token for this start (every request needs Authorization: Bearer <token>; deploy reads it from"
                + " DATABRICKS_TOKEN), and Airflow's connection to it:");
        out.printf("  export DATABRICKS_TOKEN=%s%n", databricks.token());
        // in double quotes, so that the shell puts the token in: the JSON's own quotes are escaped
        out.printf("  export AIRFLOW_CONN_DATABRICKS_DEFAULT=\"%s\"%n",
                LocalAirflow.connection(databricks.url(), "$DATABRICKS_TOKEN").replace("\"", "\\\""));
        out.println("Ctrl-C stops it (and any run still going).");
    }
}
