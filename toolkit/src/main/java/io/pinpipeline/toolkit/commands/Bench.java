package io.pinpipeline.toolkit.commands;

import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.settings.JobArgs;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.toolkit.cli.BatchRun;
import io.pinpipeline.toolkit.cli.Options;
import io.pinpipeline.toolkit.local.LocalSpark;
import io.pinpipeline.toolkit.settings.ToolkitSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./pipeline bench --posts N}: emulates N posts into a fresh landing zone and lake under
 * {@code <lake.root>/../bench} (a {@link WorkFolder}), times each batch job in one JVM, and prints a table. The last
 * line is {@code total: N posts in S s (R posts/s)}, where S is landing to the last gold table (every job of the
 * batch DAG, not the emulator). Peak memory is the JVM's resident high-water mark.
 */
public final class Bench implements Command {
    static final LocalDate BENCH_DAY = LocalDate.of(2024, 5, 1);

    /**
     * The variants of {@code ./pipeline bench}, each a command of its own, and which the arguments ask for: the first
     * of {@code --scale}, {@code --vs-duckdb}, {@code --stream --drain N}, {@code --stream} that they hold, else the
     * batch bench. The variant's flag is taken out before its options are read, so another variant's is unknown there.
     */
    enum Variant {
        SCALE, VS_DUCKDB, STREAM_DRAIN, STREAM, BATCH;

        static Variant askedBy(List<String> args) {
            if (args.contains("--scale")) {
                return SCALE;
            } else if (args.contains("--vs-duckdb")) {
                return VS_DUCKDB;
            } else if (args.contains("--stream") && args.contains("--drain")) {
                return STREAM_DRAIN;
            } else if (args.contains("--stream")) {
                return STREAM;
            }
            return BATCH;
        }
    }

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public boolean takes(List<String> args) {
        return Variant.askedBy(args) == Variant.BATCH;
    }

    @Override
    public String usage() {
        return """
                  bench    [--posts N] [--seed S]              time each job over N emulated posts
                """;
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Options options = Options.parse(args, "posts", "seed");
        int posts = options.positiveInt("posts", 1_000_000);
        Settings settings = inFreshFolder(options, "bench");

        long emulateStart = System.nanoTime();
        Emulation.toLanding(settings, options.seed(), BENCH_DAY, posts, out);
        double emulateSeconds = (System.nanoTime() - emulateStart) / 1e9;

        List<BatchRun.StageResult> stages = new ArrayList<>();
        LocalSpark.with(spark -> stages.addAll(BatchRun.run(new Lake(spark, settings), LandingDate.of(BENCH_DAY))));

        out.printf("%n%-40s %10s%n", "step", "seconds");
        out.printf("%-40s %10.1f%n", "emulate " + posts + " posts (not in total)", emulateSeconds);
        for (BatchRun.StepResult step : stages.stream().flatMap(stage -> stage.steps().stream()).toList()) {
            out.printf("%-40s %10.1f%n", step.step().name(), step.seconds());
        }
        double cleaning = stages.get(0).seconds();
        double total = stages.stream().mapToDouble(BatchRun.StageResult::seconds).sum();
        out.printf("%-40s %10.1f%n", "landing to silver (the Clean stage)", cleaning);
        out.printf("%-40s %10.1f%n", "silver to gold (the metric stage)", total - cleaning);
        out.printf("peak RSS: %s%n", peakResidentMemory());
        out.printf("total: %d posts in %.1f s (%.0f posts/s)%n", posts, total, posts / total);
    }

    /**
     * The command's settings with its landing zone and lake in a fresh {@link WorkFolder} {@code <lake.root>/../<name>}
     * (emptied first, if a bench made it), so that a bench never reads or writes the user's tables.
     */
    static Settings inFreshFolder(Options options, String name) {
        Path root = WorkFolder.fresh(WorkFolder.besideLake(options.jobSettings(), name), "bench");
        Map<String, String> overrides = new LinkedHashMap<>(options.args().overrides());
        overrides.put("landing.root", root.resolve("landing").toString());
        overrides.put("lake.root", root.resolve("lake").toString());
        return ToolkitSettings.load(new JobArgs(options.args().env(), options.args().date(), overrides, Map.of())).jobs();
    }

    /** The process's resident high-water mark (Linux), e.g. {@code 2.1 GiB}; "unknown" elsewhere. */
    static String peakResidentMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format("%.2f GiB", kib / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return "unknown";
        }
        return "unknown";
    }
}
