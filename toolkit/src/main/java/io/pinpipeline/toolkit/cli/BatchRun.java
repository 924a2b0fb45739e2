package io.pinpipeline.toolkit.cli;

import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.metrics.SilverPosts;
import io.pinpipeline.jobs.report.JobReport;
import io.pinpipeline.jobs.settings.LandingDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the batch DAG's jobs for a date in one JVM, stage after stage. The DAG runs the jobs of a stage at the
 * same time, each on its own cluster; here they share one machine's cores, and running them side by side was
 * measured no faster (1M posts: 80 s for the cleaning stage either way), so they run one after the other,
 * which keeps each job's time and log readable. The jobs are safe to run concurrently (CleaningJobsIT).
 */
public final class BatchRun {
    /** Jobs of a stage at once; see above. */
    private static final int PARALLEL_JOBS = 1;

    public record StepResult(Jobs.Step step, JobReport report, double seconds) {
    }

    public record StageResult(List<StepResult> steps, double seconds) {
    }

    private BatchRun() {
    }

    public static List<StageResult> run(Lake lake, LandingDate date) {
        // Read on the first metric step, after the cleaning stage has written silver.
        try (SilverPosts posts = SilverPosts.kept(lake)) {
            return run(lake, date, posts);
        }
    }

    private static List<StageResult> run(Lake lake, LandingDate date, SilverPosts posts) {
        List<StageResult> stages = new ArrayList<>();
        for (List<Jobs.Step> stage : Jobs.STAGES) {
            long started = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_JOBS, stage.size()));
            try {
                List<Future<StepResult>> running = new ArrayList<>();
                for (Jobs.Step step : stage) {
                    running.add(pool.submit(() -> {
                        long stepStarted = System.nanoTime();
                        JobReport report = step.run().run(lake, date, posts);
                        return new StepResult(step, report, (System.nanoTime() - stepStarted) / 1e9);
                    }));
                }
                List<StepResult> results = new ArrayList<>();
                for (Future<StepResult> result : running) {
                    results.add(result.get());
                }
                stages.add(new StageResult(results, (System.nanoTime() - started) / 1e9));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                throw new IllegalStateException("a batch job failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } finally {
                pool.shutdownNow();
            }
        }
        return stages;
    }
}
