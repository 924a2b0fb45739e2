package io.pinpipeline.jobs.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A job's main class in a JVM of its own, as a Databricks run or {@code spark-submit} starts it: its own Spark, the
 * test's classpath and {@code --add-opens}, the launcher's heap and collector, settings by {@code --set}. For faults
 * that need a process: two runs at once, a heap as small as the launcher's.
 */
public final class JobProcess {
    private static final Duration PATIENCE = Duration.ofMinutes(6);

    private final Process process;
    private final Path log;

    private JobProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code mainClass} with {@code args} and {@code --set key=value} for each setting; output goes to {@code log}. */
    public static JobProcess start(String mainClass, List<String> args, Map<String, String> settings, Path log) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(launcherJvmFlags());
        // The test JVM's own --add-opens, which Spark needs on JDK 17: conf/spark-add-opens.args, through Surefire's argLine.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> argument.startsWith("--add-opens")).forEach(command::add);
        // The test session's Spark settings, as spark-submit would pass them: Spark reads spark.* system properties.
        TestSpark.SETTINGS.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        settings.forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
        try {
            // Run in the log's folder (the test's temporary one): what Spark leaves in its working folder goes with it.
            Process process = new ProcessBuilder(command).directory(log.getParent().toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return new JobProcess(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass, e);
        }
    }

    /** Waits for the job to end; its exit status, or an error with its log's tail when it did not end in time. */
    public int exitStatus() {
        try {
            if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the job did not end in " + PATIENCE + "; its log:\n" + logTail());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError("interrupted", e);
        }
    }

    /** For a failure message: the job's first exception, with the lines that name its causes, and its last lines. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            List<String> told = new ArrayList<>(lines.stream()
                    .filter(line -> line.contains("Exception") || line.contains("Error:") || line.startsWith("Caused by"))
                    .filter(line -> !line.startsWith("\tat ")).limit(12).toList());
            told.add("...");
            told.addAll(lines.subList(Math.max(0, lines.size() - 20), lines.size()));
            return String.join("\n", told);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The whole output. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The heap and collector that the {@code ./pipeline} launcher gives a Spark run, read from the launcher itself
     * ({@code spark_jvm_flags}; the launcher's other java, the CDK app's, has its own smaller heap).
     */
    static List<String> launcherJvmFlags() {
        for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
            Path launcher = folder.resolve("pipeline");
            if (Files.isRegularFile(launcher)) {
                try {
                    Matcher flags = Pattern.compile("(?m)^spark_jvm_flags=\\(([^)]*)\\)").matcher(Files.readString(launcher));
                    if (flags.find()) {
                        return List.of(flags.group(1).trim().split(" "));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("no ./pipeline launcher with JVM flags above " + Path.of("").toAbsolutePath());
    }
}
