package io.pinpipeline.toolkit.cli;

import io.pinpipeline.jobs.batch.CleanGeo;
import io.pinpipeline.jobs.batch.CleanPins;
import io.pinpipeline.jobs.batch.CleanUsers;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.settings.LandingDate;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The jobs of the jar, by their class's simple name, and the batch DAG's order. */
public final class Jobs {
    /** A step of the batch lane: a job's name and what it does for a date. */
    public record Step(String name, java.util.function.BiFunction<Lake, LandingDate, Object> run) {
    }

    /** The batch DAG's tasks in an order that respects its dependencies: cleaning first, then the metrics. */
    public static final List<Step> BATCH = List.of(
            new Step("CleanPins", CleanPins::run),
            new Step("CleanGeo", CleanGeo::run),
            new Step("CleanUsers", CleanUsers::run));

    private static final Map<String, Class<?>> MAINS = new LinkedHashMap<>();

    static {
        for (Class<?> job : List.of(CleanPins.class, CleanGeo.class, CleanUsers.class)) {
            MAINS.put(job.getSimpleName(), job);
        }
    }

    private Jobs() {
    }

    public static java.util.Set<String> names() {
        return MAINS.keySet();
    }

    /** Runs a job's main exactly as Databricks or spark-submit would, in this JVM's session. */
    public static void runMain(String name, String[] args) {
        Class<?> job = MAINS.get(name);
        if (job == null) {
            throw new UsageException("unknown job '" + name + "' (jobs: " + String.join(", ", MAINS.keySet()) + ")");
        }
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
