package io.pinpipeline.toolkit.commands;

import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.toolkit.cli.BatchRun;
import io.pinpipeline.toolkit.cli.Options;
import io.pinpipeline.toolkit.cli.RunFailedException;
import io.pinpipeline.toolkit.bench.DuckDbCheck;
import io.pinpipeline.toolkit.bench.DuckDbReading;
import io.pinpipeline.toolkit.bench.TableComparison;
import io.pinpipeline.toolkit.local.LocalSpark;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./pipeline bench --vs-duckdb [--posts N] [--seed S]}: emulates N posts (default 1,000,000) into a fresh
 * {@code <lake.root>/../bench} as {@link Bench} does, runs the Spark batch for that date (timed from the first job's
 * start to the last gold table), then the {@link DuckDbReading} of the same files in the same JVM (timed from opening
 * its connection to its last table), checks that both made the same tables ({@link DuckDbCheck}), and prints both
 * timings. The last line is {@code duckdb: Spark S1 s, DuckDB S2 s, ratio R (tables equal)}, R being S1 / S2; when a
 * table differs, the first differing rows of each are printed and the command fails (exit status 1).
 */
public final class DuckDbBench implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public boolean takes(List<String> args) {
        return Bench.Variant.askedBy(args) == Bench.Variant.VS_DUCKDB;
    }

    @Override
    public String usage() {
        return """
                  bench    --vs-duckdb [--posts N] [--seed S]  the same SPEC work in Spark and in DuckDB on the same files:
                                                               both timings, their ratio, and a check that the tables are equal
                """;
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Options options = Options.parse(Flags.without(args, "--vs-duckdb"), "posts", "seed");
        int posts = options.positiveInt("posts", 1_000_000);
        Settings settings = Bench.inFreshFolder(options, "bench");
        LandingDate date = LandingDate.of(Bench.BENCH_DAY);

        Emulation.toLanding(settings, options.seed(), Bench.BENCH_DAY, posts, out);
        List<TableComparison.Mismatch> mismatches = new ArrayList<>();
        double[] spark = new double[2];
        double[] duckdb = new double[2];
        LocalSpark.with(session -> {
            Lake lake = new Lake(session, settings);
            List<BatchRun.StageResult> stages = BatchRun.run(lake, date);
            spark[0] = stages.get(0).seconds();
            spark[1] = stages.stream().mapToDouble(BatchRun.StageResult::seconds).sum() - spark[0];
            try (DuckDbReading reading = DuckDbReading.run(DuckDbReading.landedFiles(settings, date), settings.maxLineBytes())) {
                duckdb[0] = reading.silverSeconds();
                duckdb[1] = reading.goldSeconds();
                mismatches.addAll(DuckDbCheck.mismatches(lake, reading, Path.of(settings.lakeRoot()).resolveSibling("duckdb")));
            }
        });

        out.printf("%n%-40s %10s %10s%n", "step (" + posts + " posts)", "Spark s", "DuckDB s");
        out.printf("%-40s %10.1f %10.1f%n", "landing to silver (and quarantine)", spark[0], duckdb[0]);
        out.printf("%-40s %10.1f %10.1f%n", "silver to gold", spark[1], duckdb[1]);
        double sparkTotal = spark[0] + spark[1];
        double duckDbTotal = duckdb[0] + duckdb[1];
        out.printf("%-40s %10.1f %10.1f%n", "total", sparkTotal, duckDbTotal);
        if (!mismatches.isEmpty()) {
            mismatches.forEach(mismatch -> out.println(mismatch));
            throw new RunFailedException(String.format("duckdb: Spark %.1f s, DuckDB %.1f s, ratio %.1f, but %d of %d tables"
                            + " differ: %s", sparkTotal, duckDbTotal, sparkTotal / duckDbTotal, mismatches.size(),
                    DuckDbReading.tables().size(), mismatches.stream().map(TableComparison.Mismatch::table).toList()));
        }
        out.printf("duckdb: Spark %.1f s, DuckDB %.1f s, ratio %.1f (tables equal)%n", sparkTotal, duckDbTotal,
                sparkTotal / duckDbTotal);
    }
}
