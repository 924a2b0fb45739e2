package io.pinpipeline.toolkit.cli;

import io.pinpipeline.jobs.batch.CleanGeo;
import io.pinpipeline.jobs.batch.CleanPins;
import io.pinpipeline.jobs.batch.CleanUsers;
import io.pinpipeline.jobs.ingest.KafkaToLanding;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.metrics.MedianFollowersByAgeGroup;
import io.pinpipeline.jobs.metrics.MedianFollowersByAgeGroupAndJoinYear;
import io.pinpipeline.jobs.metrics.MedianFollowersByJoinYear;
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
    public record Step(Class<?> job, java.util.function.BiFunction<Lake, LandingDate, Object> run) {
        public String name() {
            return job.getSimpleName();
        }
    }

    /**
     * The batch DAG's tasks as stages that respect its dependencies: the cleaning jobs, which the DAG runs at the
     * same time, then the metric jobs, each of which needs only silver.
     */
    public static final List<List<Step>> STAGES = List.of(
            List.of(
                    new Step(CleanPins.class, CleanPins::run),
                    new Step(CleanGeo.class, CleanGeo::run),
                    new Step(CleanUsers.class, CleanUsers::run)),
            // The gold tables are recomputed whole from silver: the date does not change what they read.
            List.of(
                    new Step(TopCategoryByCountry.class, (lake, date) -> TopCategoryByCountry.run(lake)),
                    new Step(TopCategoryByYear.class, (lake, date) -> TopCategoryByYear.run(lake)),
                    new Step(TopUserByCountry.class, (lake, date) -> TopUserByCountry.run(lake)),
                    new Step(TopCountryByUserFollowers.class, (lake, date) -> TopCountryByUserFollowers.run(lake)),
                    new Step(TopCategoryByAgeGroup.class, (lake, date) -> TopCategoryByAgeGroup.run(lake)),
                    new Step(MedianFollowersByAgeGroup.class, (lake, date) -> MedianFollowersByAgeGroup.run(lake)),
                    new Step(UsersJoinedByYear.class, (lake, date) -> UsersJoinedByYear.run(lake)),
                    new Step(MedianFollowersByJoinYear.class, (lake, date) -> MedianFollowersByJoinYear.run(lake)),
                    new Step(MedianFollowersByAgeGroupAndJoinYear.class, (lake, date) -> MedianFollowersByAgeGroupAndJoinYear.run(lake))));

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
