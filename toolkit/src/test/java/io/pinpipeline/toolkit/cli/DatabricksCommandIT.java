package io.pinpipeline.toolkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.toolkit.commands.DatabricksCommand;
import io.pinpipeline.toolkit.local.LocalAirflow;
import io.pinpipeline.toolkit.local.LocalDatabricks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code ./pipeline databricks} prints for a started workspace: its token once, and how to hand it on. */
class DatabricksCommandIT {
    @TempDir
    Path root;

    @Test
    void theTokenIsShownOnceAndTheExportsHandItToAirflow() throws IOException, InterruptedException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (LocalDatabricks databricks = LocalDatabricks.start(0, root)) {
            DatabricksCommand.printInstructions(databricks, root, new PrintStream(printed, true, StandardCharsets.UTF_8));
            String output = printed.toString(StandardCharsets.UTF_8);
            assertThat(output.split(databricks.token(), -1)).as("the token, once").hasSize(2);
            List<String> exports = output.lines().map(String::strip).filter(line -> line.startsWith("export ")).toList();
            assertThat(exports).hasSize(2);
            assertThat(exports.get(0)).isEqualTo("export DATABRICKS_TOKEN=" + databricks.token());

            // pasted into a shell, the two lines give Airflow the connection with this start's token
            Process shell = new ProcessBuilder("bash", "-c", String.join("\n", exports)
                    + "\nprintf %s \"$AIRFLOW_CONN_DATABRICKS_DEFAULT\"").redirectErrorStream(true).start();
            String connection = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(shell.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(connection).isEqualTo(LocalAirflow.connection(databricks.url(), databricks.token()));
        }
    }
}
