package io.pinpipeline.toolkit.cli;

import io.pinpipeline.jobs.batch.CleanGeo;
import io.pinpipeline.jobs.batch.CleanPins;
import io.pinpipeline.jobs.batch.CleanUsers;
import io.pinpipeline.jobs.ingest.KafkaToLanding;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.metrics.MedianFollowersByAgeGroup;
import io.pinpipeline.jobs.metrics.MedianFollowersByAgeGroupAndJoinYear;
import io.pinpipeline.jobs.metrics.MedianFollowersByJoinYear;
import io.pinpipeline.jobs.metrics.SilverPosts;
import io.pinpipeline.jobs.metrics.TopCategoryByAgeGroup;
import io.pinpipeline.jobs.metrics.TopCategoryByCountry;
import io.pinpipeline.jobs.metrics.TopCategoryByYear;
import io.pinpipeline.jobs.metrics.TopCountryByUserFollowers;
import io.pinpipeline.jobs.metrics.TopUserByCountry;
import io.pinpipeline.jobs.metrics.UsersJoinedByYear;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.stream.StreamGeo;
import io.pinpipeline.jobs.stream.StreamPins;
import io.pinpipeline.jobs.stream.StreamUsers;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The jobs of the jar, by their class's simple name, and the batch DAG's order. */
public final class Jobs {
    /** A step of the batch lane: a job's main class and what it does for a date. */
    public record Step(Class<?> job, StepRun run) {
        public String name() {
            return job.getSimpleName();
        }
    }

    /** What a step does: for a date, with the silver posts that the metric steps of one run share. */
    @FunctionalInterface
    public interface StepRun {
        Object run(Lake lake, LandingDate date, SilverPosts posts);
    }

    /**
     * The batch DAG's tasks as stages that respect its dependencies: the cleaning jobs, which the DAG runs at the
     * same time, then the metric jobs, each of which needs only silver.
     */
    public static final List<List<Step>> STAGES = List.of(
            List.of(
                    new Step(CleanPins.class, (lake, date, posts) -> CleanPins.run(lake, date)),
                    new Step(CleanGeo.class, (lake, date, posts) -> CleanGeo.run(lake, date)),
                    new Step(CleanUsers.class, (lake, date, posts) -> CleanUsers.run(lake, date))),
            // The gold tables are recomputed whole from silver: the date does not change what they read, and the
            // metrics of a run share the silver posts it reads.
            List.of(
                    new Step(TopCategoryByCountry.class, (lake, date, posts) -> TopCategoryByCountry.run(lake, posts)),
                    new Step(TopCategoryByYear.class, (lake, date, posts) -> TopCategoryByYear.run(lake, posts)),
                    new Step(TopUserByCountry.class, (lake, date, posts) -> TopUserByCountry.run(lake, posts)),
                    new Step(TopCountryByUserFollowers.class, (lake, date, posts) -> TopCountryByUserFollowers.run(lake, posts)),
                    new Step(TopCategoryByAgeGroup.class, (lake, date, posts) -> TopCategoryByAgeGroup.run(lake, posts)),
                    new Step(MedianFollowersByAgeGroup.class, (lake, date, posts) -> MedianFollowersByAgeGroup.run(lake, posts)),
                    new Step(UsersJoinedByYear.class, (lake, date, posts) -> UsersJoinedByYear.run(lake, posts)),
                    new Step(MedianFollowersByJoinYear.class, (lake, date, posts) -> MedianFollowersByJoinYear.run(lake, posts)),
                    new Step(MedianFollowersByAgeGroupAndJoinYear.class, (lake, date, posts) -> MedianFollowersByAgeGroupAndJoinYear.run(lake, posts))));

    /** Every step of the batch DAG, stage after stage. */
    public static final List<Step> BATCH = STAGES.stream().flatMap(List::stream).toList();

    /** The streaming lane's jobs, one a kind. */
    public static final List<Class<?>> STREAMING = List.of(StreamPins.class, StreamGeo.class, StreamUsers.class);

    /** Every job of the jar by its simple name: the batch lane's, KafkaToLanding, the streaming lane's. */
    private static final Map<String, Class<?>> MAINS = new LinkedHashMap<>();

    static {
        BATCH.forEach(step -> MAINS.put(step.name(), step.job()));
        MAINS.put(KafkaToLanding.class.getSimpleName(), KafkaToLanding.class);
        for (Class<?> streaming : STREAMING) {
            MAINS.put(streaming.getSimpleName(), streaming);
        }
    }

    private Jobs() {
    }

    public static java.util.Set<String> names() {
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
