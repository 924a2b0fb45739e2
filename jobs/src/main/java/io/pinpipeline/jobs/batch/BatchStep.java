package io.pinpipeline.jobs.batch;

import io.pinpipeline.jobs.catalog.JobCatalog;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.metrics.SilverPosts;
import io.pinpipeline.jobs.report.CleaningReport;
import io.pinpipeline.jobs.report.JobReport;
import io.pinpipeline.jobs.report.MetricReport;
import io.pinpipeline.jobs.settings.LandingDate;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * A batch lane job as a step of a run that does the whole lane in one JVM ({@code ./pipeline batch}, the benches,
 * the tests): for a date, with the silver posts that the metric steps of the run share. Each cleaning job's class
 * has {@code static CleaningReport run(Lake, LandingDate)} and each metric's {@code static MetricReport run(Lake,
 * SilverPosts)}; {@link #of} finds it once from the job's catalog entry, so a new job needs no line here.
 */
@FunctionalInterface
public interface BatchStep {
    JobReport run(Lake lake, LandingDate date, SilverPosts posts);

    /** The step of a cleaning or metric job; a job of another lane, or a class without its {@code run}, is an error. */
    static BatchStep of(JobCatalog.Job job) {
        return switch (job.lane()) {
            case CLEANING -> {
                MethodHandle run = findRun(job, MethodType.methodType(CleaningReport.class, Lake.class, LandingDate.class));
                yield (lake, date, posts) -> invoke(job, run, lake, date);
            }
            case METRIC -> {
                MethodHandle run = findRun(job, MethodType.methodType(MetricReport.class, Lake.class, SilverPosts.class));
                yield (lake, date, posts) -> invoke(job, run, lake, posts);
            }
            case STREAMING, INGEST -> throw new IllegalArgumentException(job.name() + " is a " + job.lane()
                    + " job, not a step of the batch lane");
        };
    }

    private static MethodHandle findRun(JobCatalog.Job job, MethodType type) {
        try {
            return MethodHandles.publicLookup().findStatic(job.mainClass(), "run", type);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(job.name() + " has no public static " + type.returnType().getSimpleName()
                    + " run" + type.parameterList().stream().map(Class::getSimpleName).toList(), e);
        }
    }

    private static JobReport invoke(JobCatalog.Job job, MethodHandle run, Object lake, Object input) {
        try {
            return (JobReport) run.invoke(lake, input);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(job.name() + " failed", e);
        }
    }
}
