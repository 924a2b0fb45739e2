package io.pinpipeline.toolkit.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The repository's DAGs run by real Airflow (the launcher's {@code .venv}, MWAA's version) against a Databricks
 * workspace, here {@link LocalDatabricks}: {@code airflow dags test DAG DATE}, which runs one DAG run in the
 * calling process, task after task, as the scheduler would, with every operator really executing. Its metadata
 * database (SQLite), its logs and the DAGs' settings file live in a work folder of the caller's.
 *
 * <p>The DAGs read their settings file through {@code PINTEREST_PIPELINE_SETTINGS} and reach the workspace through
 * the connection {@code databricks_default}, given as {@code AIRFLOW_CONN_DATABRICKS_DEFAULT}: nothing is written
 * into {@code dags/}.
 */
public final class LocalAirflow {
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path airflow;
    private final Path work;
    private final Map<String, String> environment;

    private LocalAirflow(Path airflow, Path work, Map<String, String> environment) {
        this.airflow = airflow;
        this.work = work;
        this.environment = environment;
    }

    /** A DAG run's outcome: its state ("success", "failed") and where its output went. */
    public record DagRun(String dagId, LocalDate logicalDate, String state, Path log) {
        public boolean succeeded() {
            return state.equals("success");
        }
    }

    /**
     * Airflow set up in {@code work} for the DAGs of {@code repository}, talking to {@code databricks} with its
     * {@code token}, the DAGs' settings file being {@code dagSettings} (as {@code ./pipeline deploy} writes it).
     * Creates the metadata database. The token reaches Airflow in its environment only, never in a file.
     */
    public static LocalAirflow prepare(Path repository, Path work, URI databricks, String token, String dagSettings) {
        Path airflow = repository.resolve(".venv/bin/airflow");
        if (!Files.isExecutable(airflow)) {
            throw new IllegalStateException("no Airflow at " + airflow + ": run ./pipeline airflow-setup first");
        }
        try {
            Files.createDirectories(work);
            Path settingsFile = work.resolve("pinterest_pipeline.json");
            Files.writeString(settingsFile, dagSettings);
            Map<String, String> environment = new LinkedHashMap<>();
            environment.put("AIRFLOW_HOME", work.resolve("airflow").toAbsolutePath().toString());
            environment.put("AIRFLOW__CORE__DAGS_FOLDER", repository.resolve("dags").toAbsolutePath().toString());
            environment.put("AIRFLOW__CORE__LOAD_EXAMPLES", "False");
            environment.put("PINTEREST_PIPELINE_SETTINGS", settingsFile.toAbsolutePath().toString());
            environment.put("AIRFLOW_CONN_DATABRICKS_DEFAULT", connection(databricks, token));
            LocalAirflow local = new LocalAirflow(airflow, work, environment);
            Path log = work.resolve("airflow-db-migrate.log");
            if (local.airflow(List.of("db", "migrate"), log) != 0) {
                throw new IllegalStateException("airflow db migrate failed, see " + log);
            }
            return local;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Airflow in " + work, e);
        }
    }

    /**
     * The connection the Databricks provider reads: it builds {@code {schema}://{host}:{port}/api/...}, so a plain
     * HTTP workspace on loopback is {@code schema=http}. The token goes in {@code password}, as for a real
     * workspace's personal access token.
     */
    public static String connection(URI databricks, String token) {
        ObjectNode connection = JSON.createObjectNode()
                .put("conn_type", "databricks")
                .put("host", databricks.getHost())
                .put("port", databricks.getPort())
                .put("schema", databricks.getScheme())
                .put("password", token);
        return connection.toString();
    }

    /**
     * Runs one DAG run for the logical date, as {@code airflow dags test DAG DATE}, its output going to a log; the
     * tasks whose id matches {@code markSuccessPattern} (a regular expression, matched whole; "" for none) are marked
     * successful without running, as Airflow's {@code --mark-success-pattern} does.
     */
    public DagRun dagsTest(String dagId, LocalDate logicalDate, String markSuccessPattern) {
        Path log = work.resolve("dags-test-" + dagId + "-" + logicalDate + ".log");
        List<String> arguments = new ArrayList<>(List.of("dags", "test", dagId, logicalDate.toString()));
        if (!markSuccessPattern.isEmpty()) {
            arguments.addAll(List.of("--mark-success-pattern", markSuccessPattern));
        }
        int status = airflow(arguments, log);
        // The run's own state, from the metadata database: the command's status alone is not taken for it.
        return new DagRun(dagId, logicalDate, status == 0 ? state(dagId, logicalDate) : "exit " + status, log);
    }

    /** Runs the Airflow CLI with this setup's environment, its output (and errors) going to {@code log}; its status. */
    private int airflow(List<String> arguments, Path log) {
        List<String> command = new ArrayList<>(List.of(airflow.toString()));
        command.addAll(arguments);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).directory(work.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("airflow " + String.join(" ", arguments) + " still running after "
                        + COMMAND_TIMEOUT + ", see " + log);
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** The state of the newest run of the DAG for the logical date, from {@code airflow dags list-runs}. */
    private String state(String dagId, LocalDate logicalDate) {
        Path listed = work.resolve("dags-list-runs.json");
        if (airflow(List.of("dags", "list-runs", dagId, "--output", "json"), listed) != 0) {
            throw new IllegalStateException("airflow dags list-runs failed, see " + listed);
        }
        try {
            // Warnings (lines that start with a timestamp) come before the JSON array, which has a line of its own.
            String array = Files.readAllLines(listed).stream().filter(line -> line.startsWith("[{") || line.equals("[]"))
                    .reduce((first, second) -> second).orElseThrow(() -> new IllegalStateException(
                            "airflow dags list-runs printed no JSON array, see " + listed));
            for (JsonNode run : JSON.readTree(array)) {
                // logical_date like 2024-05-01T00:00:00+00:00; list-runs gives the newest first
                if (run.path("logical_date").asText().startsWith(logicalDate.toString())) {
                    return run.path("state").asText();
                }
            }
            return "not found";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + listed, e);
        }
    }
}
