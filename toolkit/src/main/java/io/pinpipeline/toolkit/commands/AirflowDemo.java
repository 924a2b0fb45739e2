package io.pinpipeline.toolkit.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pinpipeline.toolkit.deploy.DagSettings;
import io.pinpipeline.toolkit.deploy.Deploy;
import io.pinpipeline.toolkit.deploy.JarUpload;
import io.pinpipeline.toolkit.deploy.JobJar;
import io.pinpipeline.toolkit.local.LocalAirflow;
import io.pinpipeline.toolkit.local.LocalDatabricks;
import io.pinpipeline.toolkit.settings.ToolkitSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A DAG as it runs on MWAA, on this machine: the job jar uploaded to a local Databricks workspace
 * ({@link LocalDatabricks}) under its versioned name, as {@code ./pipeline deploy} uploads it, the DAGs' settings
 * file pointing at it, and real Airflow running the DAG ({@code pinterest_batch}, {@code pinterest_streaming}) for
 * each logical date in order, as a backfill over those dates (or the schedule) does. Every task is a Databricks run
 * of one main class, in its own JVM, on what arrived for its date.
 */
public final class AirflowDemo {
    public static final String BATCH_DAG = "pinterest_batch";
    public static final String STREAMING_DAG = "pinterest_streaming";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AirflowDemo() {
    }

    /** One Databricks run, as the workspace lists it. */
    public record DatabricksRun(long runId, String runName, String mainClass, List<String> parameters, String state,
            String message) {
        @Override
        public String toString() {
            return String.format("run %d %-60s %s %s  %s%s", runId, runName, mainClass.replace("io.pinpipeline.jobs.", ""),
                    String.join(" ", parameters), state, state.endsWith("SUCCESS") ? "" : ": " + message);
        }
    }

    /**
     * The DAG runs to make: {@code dagId} once for each logical date, in order. Before each, {@code arrive} puts that
     * date's posts where the DAG's jobs read them (the landing zone, the streams), as they would have arrived by
     * then; on the dates in {@code markSuccess}, the tasks matching its pattern are marked successful, not run.
     */
    public record DagRuns(String dagId, List<LocalDate> logicalDates, Consumer<LocalDate> arrive,
            Map<LocalDate, String> markSuccess) {
        public DagRuns(String dagId, List<LocalDate> logicalDates, Consumer<LocalDate> arrive) {
            this(dagId, logicalDates, arrive, Map.of());
        }
    }

    /** What the DAG runs did, and the Databricks runs their tasks submitted, oldest first. */
    public record Result(List<LocalAirflow.DagRun> dagRuns, List<DatabricksRun> databricksRuns) {
        public boolean succeeded() {
            return dagRuns.stream().allMatch(LocalAirflow.DagRun::succeeded);
        }
    }

    /**
     * Makes the DAG runs against a fresh local workspace under {@code work}, stopping at the first that fails. The
     * jobs run with {@code --env <settings' env>}, {@code home} and the settings' Kinesis endpoint in their
     * environment (the cluster's {@code spark_env_vars}, see {@link #localDagSettings}), so they read and write where
     * {@code settings} point.
     */
    public static Result run(ToolkitSettings settings, Path repository, Path home, Path work, DagRuns dagRuns, PrintStream out) {
        try (LocalDatabricks databricks = LocalDatabricks.start(0, work.resolve("databricks"))) {
            JobJar jar = JobJar.of(repository.resolve(Deploy.JAR));
            String jarPath = JarUpload.to(databricks.url(), databricks.token())
                    .upload(jar, settings.databricks().jarFolder()).path();
            out.printf("local Databricks at %s, token %s (for this run only); job jar uploaded as %s%n",
                    databricks.url(), databricks.token(), jarPath);

            LocalAirflow airflow = LocalAirflow.prepare(repository, work.resolve("airflow"), databricks.url(),
                    databricks.token(), DagSettings.json(localDagSettings(settings, jarPath, home)));
            String dagId = dagRuns.dagId();
            List<LocalAirflow.DagRun> done = new ArrayList<>();
            for (LocalDate day : dagRuns.logicalDates()) {
                dagRuns.arrive().accept(day);
                out.printf("airflow dags test %s %s ...%n", dagId, day);
                LocalAirflow.DagRun dagRun = airflow.dagsTest(dagId, day, dagRuns.markSuccess().getOrDefault(day, ""));
                out.printf("%s %s: %s (Airflow's log: %s)%n", dagId, day, dagRun.state(), dagRun.log());
                done.add(dagRun);
                if (!dagRun.succeeded()) {
                    out.printf("the end of Airflow's log:%n%s%n", tail(dagRun.log(), 40));
                    break;
                }
            }
            List<DatabricksRun> runs = listRuns(databricks.url(), databricks.token());
            out.printf("Databricks runs (driver logs under %s):%n", work.resolve("databricks/runs"));
            runs.forEach(run -> out.println("  " + run));
            return new Result(done, runs);
        }
    }

    /**
     * The deployed settings file, made for this machine: the jobs' home and Kinesis endpoint through the cluster's
     * environment (the streaming demo's Kinesis server listens on a port of its own, not conf/local.conf's), the
     * run's state polled every second, no retries, so that a failure shows at once, and no wait for late files (a
     * demo of today would otherwise wait for tomorrow; the files here are all written before the run).
     */
    public static ObjectNode localDagSettings(ToolkitSettings settings, String jarPath, Path home) {
        ObjectNode dagSettings = DagSettings.dagSettings(settings, jarPath);
        dagSettings.put("polling_period_seconds", 1);
        dagSettings.put("retries", 0);
        dagSettings.put("landing_delay_minutes", 0);
        JsonNode newCluster = dagSettings.path("cluster").path("new_cluster");
        if (newCluster instanceof ObjectNode cluster) {
            ObjectNode environment = cluster.putObject("spark_env_vars");
            environment.put("PIPELINE_HOME", home.toAbsolutePath().toString());
            settings.jobs().kinesis().endpoint().ifPresent(endpoint ->
                    environment.put("PIPELINE_KINESIS_ENDPOINT", endpoint.toString()));
        }
        return dagSettings;
    }

    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Every run of the workspace, oldest first, through its runs/list API. */
    static List<DatabricksRun> listRuns(URI workspace, String token) {
        List<DatabricksRun> runs = new ArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        int offset = 0;
        boolean more = true;
        try {
            while (more) {
                HttpRequest request = HttpRequest.newBuilder(workspace.resolve("/api/2.2/jobs/runs/list?limit=25&offset=" + offset))
                        .header("Authorization", "Bearer " + token).GET().build();
                JsonNode page = JSON.readTree(client.send(request, HttpResponse.BodyHandlers.ofString()).body());
                for (JsonNode run : page.path("runs")) {
                    JsonNode task = run.path("tasks").path(0);
                    List<String> parameters = new ArrayList<>();
                    task.path("spark_jar_task").path("parameters").forEach(parameter -> parameters.add(parameter.asText()));
                    JsonNode state = run.path("state");
                    runs.add(0, new DatabricksRun(run.path("run_id").asLong(), run.path("run_name").asText(),
                            task.path("spark_jar_task").path("main_class_name").asText(), parameters,
                            state.path("life_cycle_state").asText() + " " + state.path("result_state").asText(""),
                            state.path("state_message").asText("")));
                }
                offset += page.path("runs").size();
                more = page.path("has_more").asBoolean(false);
            }
            return runs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the runs of " + workspace, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing runs", e);
        }
    }
}
