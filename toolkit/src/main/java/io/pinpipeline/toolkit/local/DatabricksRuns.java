package io.pinpipeline.toolkit.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pinpipeline.jobs.settings.Settings;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The Jobs API's one-off runs of {@link LocalDatabricks}: each {@code runs/submit} of a {@code spark_jar_task} runs
 * as one child JVM (local Spark, the uploaded jar's code), at most {@code maxConcurrentRuns} at once; the others
 * wait in PENDING, as runs do on Databricks while their cluster starts. Runs live in memory only.
 *
 * <p>What a request puts into a driver is checked, so that it runs the jar's code and nothing else: the main class
 * must be a Java class name (dot-separated identifiers; so never a JVM option such as
 * {@code -XX:OnOutOfMemoryError=...}), and {@code spark_env_vars} may only set {@link #RUN_ENV_VARS}, the variables
 * the jobs' settings read; any other (say {@code JDK_JAVA_OPTIONS} or {@code LD_PRELOAD}, which would run code of the
 * request's choosing before main) is refused with 400 INVALID_PARAMETER_VALUE naming it. The driver's environment is these variables and
 * {@link #INHERITED_ENV} of this JVM's, not the rest of it (no credentials of whoever started the workspace).
 */
final class DatabricksRuns implements AutoCloseable {
    /**
     * The packages Spark on JDK 17 needs opened, as this JVM was started with them: it runs Spark itself, so the
     * launcher and the tests give it conf/spark-add-opens.args, and a driver gets the same.
     */
    static final List<String> SPARK_OPENS = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(option -> option.startsWith("--add-opens")).toList();
    /** How long a cancelled run's JVM gets to run its shutdown hooks after SIGTERM before it is killed. */
    private static final long KILL_AFTER_SECONDS = 5;
    private static final int ERROR_TRACE_LINES = 50;
    private static final int LOG_TAIL_LINES = 200;
    /** A line that reports an error: the JVM's own, an exception (or its cause), or an ERROR log line. */
    private static final Pattern ERROR_LINE = Pattern.compile(
            "^(Exception in thread .*|Error: .*|Caused by: .*|[\\w.$]+(Exception|Error)(: .*)?|.*\\bERROR\\b.*)$");
    /** A Java identifier, without the control and format characters that Java lets identifiers hold. */
    private static final String IDENTIFIER = "[\\p{javaJavaIdentifierStart}&&[^\\p{Cc}\\p{Cf}]]"
            + "[\\p{javaJavaIdentifierPart}&&[^\\p{Cc}\\p{Cf}]]*";
    private static final Pattern CLASS_NAME = Pattern.compile(IDENTIFIER + "(\\." + IDENTIFIER + ")*");
    /**
     * The {@code spark_env_vars} a run may set: the variables the jobs' settings read with {@code ${?NAME}}
     * (the jar's reference.conf and conf/*.conf, not the toolkit's; DatabricksRunsTest keeps the two lists equal).
     */
    static final Set<String> RUN_ENV_VARS = Set.of("PIPELINE_HOME", "PIPELINE_PREFIX", "PIPELINE_LANDING_ROOT",
            "PIPELINE_LAKE_ROOT", "PIPELINE_KAFKA_BOOTSTRAP_SERVERS", "PIPELINE_KINESIS_ENDPOINT", "AWS_REGION");
    /**
     * What a driver keeps of this JVM's environment: the command search path (Hadoop runs a few commands), the
     * user, home, locale, time zone and temporary folder, and SPARK_LOCAL_IP, which keeps Spark on loopback.
     */
    static final Set<String> INHERITED_ENV = Set.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "LC_CTYPE", "TZ",
            "TMPDIR", "SPARK_LOCAL_IP");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<String, Path> localPath;
    private final Path runsRoot;
    private final Path classDataRoot;
    private final Map<Long, Run> runs = new ConcurrentHashMap<>();
    private final Map<String, Long> byIdempotencyToken = new ConcurrentHashMap<>();
    private final AtomicLong nextRunId = new AtomicLong(1);
    private final ExecutorService pool;
    private final ScheduledExecutorService killer;
    private final List<String> runtimeClasspath;
    private final Set<Path> archivesBeingWritten = ConcurrentHashMap.newKeySet();
    private volatile String baseUrl = "";

    DatabricksRuns(Path runsRoot, Function<String, Path> localPath, int maxConcurrentRuns) {
        this.runsRoot = runsRoot;
        this.classDataRoot = runsRoot.resolveSibling("class-data");
        try {
            Files.createDirectories(classDataRoot);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + classDataRoot, e);
        }
        this.localPath = localPath;
        this.pool = Executors.newFixedThreadPool(maxConcurrentRuns, daemon("local-databricks-run"));
        this.killer = Executors.newSingleThreadScheduledExecutor(daemon("local-databricks-kill"));
        this.runtimeClasspath = runtimeClasspath();
    }

    void baseUrl(String url) {
        this.baseUrl = url;
    }

    /** {@code runs/submit}: checks the request, queues the run, answers its id at once. */
    long submit(JsonNode request) {
        String token = request.path("idempotency_token").asText("");
        if (!token.isEmpty() && byIdempotencyToken.containsKey(token)) {
            // As on Databricks: a retried submit with the same token gets the first run, not a second one.
            return byIdempotencyToken.get(token);
        }
        String runName = request.path("run_name").asText("Untitled");
        JsonNode task = request;
        String taskKey = runName;
        if (request.has("tasks")) {
            JsonNode tasks = request.get("tasks");
            if (!tasks.isArray() || tasks.size() != 1) {
                throw DatabricksError.invalid("tasks: this local workspace runs exactly one task a run, got "
                        + (tasks.isArray() ? tasks.size() : "no array"));
            }
            task = tasks.get(0);
            taskKey = task.path("task_key").asText(runName);
        }
        JsonNode jarTask = task.get("spark_jar_task");
        if (jarTask == null || !jarTask.hasNonNull("main_class_name")) {
            throw DatabricksError.invalid("spark_jar_task with main_class_name is required: this local workspace runs"
                    + " only jar tasks");
        }
        String mainClass = jarTask.get("main_class_name").asText();
        if (!CLASS_NAME.matcher(mainClass).matches()) {
            throw DatabricksError.invalid("spark_jar_task.main_class_name: '" + mainClass + "' is not a Java class name"
                    + " (dot-separated identifiers, e.g. io.pinpipeline.jobs.batch.CleanPins)");
        }
        JsonNode cluster = cluster(request, task);
        List<Path> jars = jars(task.path("libraries"));
        List<String> parameters = new ArrayList<>();
        jarTask.path("parameters").forEach(parameter -> parameters.add(parameter.asText()));

        Map<String, String> sparkConf = strings(cluster.path("spark_conf"));
        Map<String, String> envVars = strings(cluster.path("spark_env_vars"));
        envVars.keySet().stream().filter(name -> !RUN_ENV_VARS.contains(name)).sorted().findFirst().ifPresent(name -> {
            throw DatabricksError.invalid("new_cluster.spark_env_vars: " + name + " is not one a run may set here"
                    + " (only " + String.join(", ", new TreeSet<>(RUN_ENV_VARS)) + ")");
        });

        long runId = nextRunId.getAndIncrement();
        Run run = new Run(runId, runName, taskKey, command(jars, sparkConf, mainClass, parameters), envVars,
                runsRoot.resolve(String.valueOf(runId)));
        run.jarTask = jarTask.deepCopy();
        run.libraries = task.path("libraries").deepCopy();
        runs.put(runId, run);
        if (!token.isEmpty()) {
            byIdempotencyToken.put(token, runId);
        }
        pool.execute(() -> execute(run));
        return runId;
    }

    /** {@code runs/get}: the run as Databricks describes one (the fields the Airflow provider reads). */
    ObjectNode get(long runId) {
        return describe(run(runId));
    }

    /** {@code runs/get-output}: the run, and for a failed run its error and the end of its driver log. */
    ObjectNode output(long runId) {
        Run run = run(runId);
        ObjectNode output = JSON.createObjectNode();
        output.set("metadata", describe(run));
        List<String> log = logLines(run);
        synchronized (run) {
            if ("FAILED".equals(run.resultState)) {
                output.put("error", lastErrorLine(log).orElse(run.stateMessage));
                output.put("error_trace", String.join("\n", tail(log, ERROR_TRACE_LINES)));
            }
        }
        output.put("logs", String.join("\n", tail(log, LOG_TAIL_LINES)));
        output.put("logs_truncated", log.size() > LOG_TAIL_LINES);
        return output;
    }

    /** {@code runs/list}: newest first. */
    ObjectNode list(boolean activeOnly, boolean completedOnly, int offset, int limit) {
        List<Run> selected = runs.values().stream()
                .sorted(Comparator.comparingLong((Run run) -> run.runId).reversed())
                .filter(run -> !activeOnly || !run.terminal())
                .filter(run -> !completedOnly || run.terminal())
                .toList();
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode page = answer.putArray("runs");
        selected.stream().skip(offset).limit(limit).forEach(run -> page.add(describe(run)));
        answer.put("has_more", selected.size() > offset + limit);
        return answer;
    }

    /** {@code runs/cancel}: a waiting run never starts; a running one's JVM gets SIGTERM, then SIGKILL. */
    void cancel(long runId) {
        Run run = run(runId);
        synchronized (run) {
            if (run.terminal()) {
                return;
            }
            run.cancelRequested = true;
            if (run.process == null) {
                run.finish("CANCELED", "Run cancelled.");
                return;
            }
            run.lifeCycleState = "TERMINATING";
            run.stateMessage = "Run cancelled.";
            stop(run.process);
        }
    }

    @Override
    public void close() {
        for (Run run : runs.values()) {
            cancel(run.runId);
        }
        pool.shutdownNow();
        for (Run run : runs.values()) {
            Process process = run.process;
            if (process != null) {
                try {
                    if (!process.waitFor(KILL_AFTER_SECONDS, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor(KILL_AFTER_SECONDS, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    process.destroyForcibly();
                }
            }
        }
        killer.shutdownNow();
    }

    private void execute(Run run) {
        Process process;
        synchronized (run) {
            if (run.terminal()) {
                return;
            }
            try {
                Files.createDirectories(run.dir);
                ProcessBuilder builder = new ProcessBuilder(withClassDataSharing(run.command))
                        .directory(run.dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(run.log().toFile()));
                builder.environment().keySet().retainAll(INHERITED_ENV);
                builder.environment().putAll(run.envVars);
                process = builder.start();
            } catch (IOException e) {
                run.finish("FAILED", "the driver JVM did not start: " + e.getMessage());
                return;
            }
            run.process = process;
            run.lifeCycleState = "RUNNING";
            run.stateMessage = "In run";
        }
        int exitCode;
        try {
            exitCode = process.waitFor();
            classDataArchiveWritten(run.command);
        } catch (InterruptedException e) {
            // close() is stopping the pool: the JVM is stopped there
            Thread.currentThread().interrupt();
            stop(process);
            exitCode = -1;
        }
        synchronized (run) {
            if (run.cancelRequested) {
                run.finish("CANCELED", "Run cancelled.");
            } else if (exitCode == 0) {
                run.finish("SUCCESS", "");
            } else {
                String cause = lastErrorLine(logLines(run)).orElse("no error line in the log");
                run.finish("FAILED", "The driver exited with code " + exitCode + ": " + cause
                        + " (log: " + run.log() + ")");
            }
        }
    }

    /**
     * The command with a class-data sharing archive of its classpath (JDK CDS): loading Spark's classes from it
     * takes a driver from about 21 s to 15 s on 2 cores. The first run of a classpath writes the archive as it
     * exits (into a temporary file, made the archive only when that run has ended); runs meanwhile go without.
     */
    private List<String> withClassDataSharing(List<String> command) {
        Path archive = classDataArchive(command);
        List<String> withArchive = new ArrayList<>(command.subList(0, 1));
        if (Files.isRegularFile(archive)) {
            withArchive.add("-XX:SharedArchiveFile=" + archive);
        } else if (archivesBeingWritten.add(archive)) {
            withArchive.add("-XX:ArchiveClassesAtExit=" + archive.resolveSibling(archive.getFileName() + ".tmp"));
        }
        withArchive.addAll(command.subList(1, command.size()));
        return withArchive;
    }

    private void classDataArchiveWritten(List<String> command) {
        Path archive = classDataArchive(command);
        Path written = archive.resolveSibling(archive.getFileName() + ".tmp");
        if (archivesBeingWritten.contains(archive) && Files.isRegularFile(written)) {
            try {
                Files.move(written, archive, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // no archive: later runs start without it, as before
            }
        }
    }

    /** One archive a classpath, beside the runs' folders. */
    private Path classDataArchive(List<String> command) {
        String classpath = command.get(command.indexOf("-cp") + 1);
        return classDataRoot.resolve(Integer.toHexString(classpath.hashCode()) + ".jsa");
    }

    private void stop(Process process) {
        process.destroy();
        killer.schedule(() -> {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }, KILL_AFTER_SECONDS, TimeUnit.SECONDS);
    }

    /** The driver's command line: as a Databricks driver, local Spark, the task's jars before the runtime. */
    private List<String> command(List<Path> jars, Map<String, String> sparkConf, String mainClass,
            List<String> parameters) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        // A driver here lives for one short job: the C1 compiler and the serial collector start it faster.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.addAll(SPARK_OPENS);
        command.add("-Dspark.master=local[2]");
        // loopback only, no web UI, few shuffle partitions: as the toolkit's own local session
        new TreeMap<>(LocalSpark.LOCAL_CONF).forEach((key, value) -> command.add("-D" + key + "=" + value));
        // the cluster's spark_conf last, so that it wins over the defaults above
        sparkConf.forEach((key, value) -> command.add("-D" + key + "=" + value));
        // The runtime first and the task's libraries after it, as a cluster's classpath has them; it also keeps
        // the runtime's part of the class-data archive valid whatever jar a run brings.
        List<String> classpath = new ArrayList<>(runtimeClasspath);
        jars.forEach(jar -> classpath.add(jar.toString()));
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath));
        command.add(mainClass);
        command.addAll(parameters);
        return command;
    }

    /**
     * This JVM's classpath without the entry that holds the job classes: what the Databricks runtime provides
     * (Spark, Delta, hadoop-aws), so that the code a run executes is the uploaded jar's, as on a cluster. Class
     * folders go too: they are this project's own classes in a build (a runtime is jars), and the JDK's class-data
     * archive cannot be written for a classpath that has a non-empty folder.
     */
    private static List<String> runtimeClasspath() {
        Optional<Path> jobs = jobClassesEntry();
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .filter(entry -> jobs.isEmpty() || !Path.of(entry).toAbsolutePath().normalize().equals(jobs.get()))
                .filter(entry -> !Files.isDirectory(Path.of(entry)))
                .toList();
    }

    private static Optional<Path> jobClassesEntry() {
        CodeSource source = Settings.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(source.getLocation().toURI()).toAbsolutePath().normalize());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static JsonNode cluster(JsonNode request, JsonNode task) {
        for (JsonNode holder : List.of(task, request)) {
            if (holder.hasNonNull("new_cluster")) {
                return holder.get("new_cluster");
            }
            if (holder.hasNonNull("existing_cluster_id")) {
                // Any id is taken: the local cluster is this machine, with no Spark settings of its own.
                return JSON.createObjectNode();
            }
        }
        String clusterKey = task.path("job_cluster_key").asText("");
        for (JsonNode jobCluster : request.path("job_clusters")) {
            if (!clusterKey.isEmpty() && clusterKey.equals(jobCluster.path("job_cluster_key").asText())) {
                return jobCluster.path("new_cluster");
            }
        }
        throw DatabricksError.invalid("a cluster is required: new_cluster, existing_cluster_id or job_cluster_key");
    }

    private List<Path> jars(JsonNode libraries) {
        List<Path> jars = new ArrayList<>();
        for (JsonNode library : libraries) {
            if (!library.hasNonNull("jar")) {
                throw DatabricksError.invalid("libraries: only jar libraries are installed locally, not " + library);
            }
            String jar = library.get("jar").asText();
            Path path;
            try {
                path = localPath.apply(jar);
            } catch (IllegalArgumentException e) {
                throw DatabricksError.invalid("libraries: " + e.getMessage());
            }
            if (!Files.isRegularFile(path)) {
                throw DatabricksError.invalid("libraries: the jar " + jar + " does not exist; upload it first");
            }
            jars.add(path.toAbsolutePath());
        }
        return jars;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> values = new LinkedHashMap<>();
        object.fields().forEachRemaining(field -> values.put(field.getKey(), field.getValue().asText()));
        return values;
    }

    private Run run(long runId) {
        Run run = runs.get(runId);
        if (run == null) {
            throw DatabricksError.notFound("Run " + runId + " does not exist.");
        }
        return run;
    }

    private ObjectNode describe(Run run) {
        synchronized (run) {
            ObjectNode node = JSON.createObjectNode();
            node.put("run_id", run.runId);
            node.put("number_in_job", run.runId);
            node.put("run_name", run.runName);
            node.put("run_type", "SUBMIT_RUN");
            node.put("run_page_url", baseUrl + "/#job/runs/" + run.runId);
            node.set("state", state(run));
            node.put("start_time", run.startTime);
            node.put("end_time", run.endTime);
            ObjectNode task = node.putArray("tasks").addObject();
            task.put("run_id", run.runId);
            task.put("task_key", run.taskKey);
            task.set("spark_jar_task", run.jarTask);
            task.set("libraries", run.libraries);
            task.set("state", state(run));
            task.put("start_time", run.startTime);
            task.put("end_time", run.endTime);
            return node;
        }
    }

    private static ObjectNode state(Run run) {
        ObjectNode state = JSON.createObjectNode();
        state.put("life_cycle_state", run.lifeCycleState);
        if (run.resultState != null) {
            state.put("result_state", run.resultState);
        }
        state.put("state_message", run.stateMessage);
        state.put("user_cancelled_or_timedout", "CANCELED".equals(run.resultState));
        return state;
    }

    private static List<String> logLines(Run run) {
        Path log = run.log();
        if (!Files.exists(log)) {
            return List.of();
        }
        try {
            // the driver may write anything: bad bytes must not hide the rest of the log
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    static Optional<String> lastErrorLine(List<String> log) {
        for (int i = log.size() - 1; i >= 0; i--) {
            String line = log.get(i).strip();
            if (!line.startsWith("at ") && ERROR_LINE.matcher(line).matches()) {
                return Optional.of(line);
            }
        }
        return Optional.empty();
    }

    private static List<String> tail(List<String> lines, int count) {
        return lines.subList(Math.max(0, lines.size() - count), lines.size());
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One run; its fields change under its own lock. */
    private static final class Run {
        final long runId;
        final String runName;
        final String taskKey;
        final List<String> command;
        final Map<String, String> envVars;
        final Path dir;
        final long startTime = System.currentTimeMillis();
        long endTime;
        volatile String lifeCycleState = "PENDING";
        String resultState;
        String stateMessage = "Waiting for cluster";
        boolean cancelRequested;
        volatile Process process;
        // What was submitted, shown back in runs/get as Databricks does.
        JsonNode jarTask;
        JsonNode libraries;

        Run(long runId, String runName, String taskKey, List<String> command, Map<String, String> envVars, Path dir) {
            this.runId = runId;
            this.runName = runName;
            this.taskKey = taskKey;
            this.command = command;
            this.envVars = new HashMap<>(envVars);
            this.dir = dir;
        }

        Path log() {
            return dir.resolve("driver.log");
        }

        boolean terminal() {
            return "TERMINATED".equals(lifeCycleState);
        }

        void finish(String result, String message) {
            lifeCycleState = "TERMINATED";
            resultState = result;
            stateMessage = message;
            endTime = System.currentTimeMillis();
        }
    }
}
