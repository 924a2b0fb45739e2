package io.pinpipeline.toolkit.cli;

import io.pinpipeline.jobs.batch.BatchStep;
import io.pinpipeline.jobs.catalog.JobCatalog;
import io.pinpipeline.jobs.catalog.JobCatalog.Lane;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The jobs of the jar, by their class's simple name, and the batch DAG's order: all from the job list (JobCatalog). */
public final class Jobs {
    /** A step of the batch lane: a job's main class and what it does for a date. */
    public record Step(Class<?> job, BatchStep run) {
        public String name() {
            return job.getSimpleName();
        }

        static Step of(JobCatalog.Job job) {
            return new Step(job.mainClass(), BatchStep.of(job));
        }
    }

    /**
     * The batch DAG's tasks as stages that respect its dependencies: the cleaning jobs, which the DAG runs at the
     * same time, then the metric jobs, each of which needs only silver. The gold tables are recomputed whole from
     * silver: the date does not change what they read, and the metrics of a run share the silver posts it reads.
     */
    public static final List<List<Step>> STAGES = List.of(steps(Lane.CLEANING), steps(Lane.METRIC));

    /** Every step of the batch DAG, stage after stage. */
    public static final List<Step> BATCH = STAGES.stream().flatMap(List::stream).toList();

    /** The streaming lane's jobs, one a kind. */
    public static final List<Class<?>> STREAMING = JobCatalog.lane(Lane.STREAMING).stream()
            .<Class<?>>map(JobCatalog.Job::mainClass).toList();

    /** Every job of the jar by its simple name, in the list's order: the batch lane's, KafkaToLanding, the streaming lane's. */
    private static final Map<String, Class<?>> MAINS = new LinkedHashMap<>();

    static {
        JobCatalog.JOBS.forEach(job -> MAINS.put(job.name(), job.mainClass()));
    }

    private Jobs() {
    }

    private static List<Step> steps(Lane lane) {
        return JobCatalog.lane(lane).stream().map(Step::of).toList();
    }

    public static Set<String> names() {
        return MAINS.keySet();
    }

    /** A job's main class by its simple name; an unknown name is a usage error listing the jobs. */
    public static Class<?> mainClass(String name) {
        Class<?> job = MAINS.get(name);
        if (job == null) {
            throw new UsageException("unknown job '" + name + "' (jobs: " + String.join(", ", MAINS.keySet()) + ")");
        }
        return job;
    }

    /** Runs a job's main exactly as Databricks or spark-submit would, in this JVM's session. */
    public static void runMain(Class<?> job, String[] args) {
        String name = job.getSimpleName();
        try {
            Method main = job.getMethod("main", String[].class);
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(name + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(name + " has no usable main", e);
        }
    }
}
