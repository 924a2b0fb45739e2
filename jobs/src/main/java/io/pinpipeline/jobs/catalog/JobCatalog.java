package io.pinpipeline.jobs.catalog;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The jobs of this jar as {@code dags/pinterest_jobs/jobs.json} declares them (the build copies that file into the
 * jar beside this class, so the DAGs and the jar read one list): each job's main class, lane, DAG task id and the
 * lake tables it reads and writes. The gold tables, the settings' {@code tables.<name>} keys, the metrics' inputs
 * and the toolkit's batch run all come from here.
 */
public final class JobCatalog {
    /** The file, as the jar holds it: beside this class. */
    static final String RESOURCE = "jobs.json";

    /** Every job, in the list's order: the cleaning jobs, the metrics, then the other lanes. */
    public static final List<Job> JOBS = load();

    /** What a job belongs to: which DAG runs it, and how a run in one JVM calls it. */
    public enum Lane {
        /** Batch DAG, first: landed files of a date into a silver table. */
        CLEANING,
        /** Batch DAG, after the cleaning that writes what it reads: a gold table recomputed whole from silver. */
        METRIC,
        /** Streaming DAG: a Kinesis stream into its streaming table. */
        STREAMING,
        /** No DAG: Kafka topics into the landing zone, for runs without MSK Connect. */
        INGEST;

        static Lane parse(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(RESOURCE + ": unknown lane '" + name + "' (cleaning, metric, streaming, ingest)");
            }
        }
    }

    /**
     * One job: its main class's full name, its lane, its DAG task id, and the lake tables it reads and writes.
     */
    public record Job(String mainClassName, Lane lane, String taskId, List<String> reads, List<String> writes) {
        /** The class's simple name, as {@code ./pipeline run} takes it: {@code CleanPins}. */
        public String name() {
            return mainClassName.substring(mainClassName.lastIndexOf('.') + 1);
        }

        public Class<?> mainClass() {
            try {
                return Class.forName(mainClassName, true, JobCatalog.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(RESOURCE + " names " + mainClassName + ", which is not in the jar", e);
            }
        }

        /** The one table a metric writes: its gold table. */
        public String goldTable() {
            if (lane != Lane.METRIC) {
                throw new IllegalStateException(name() + " is a " + lane + " job, not a metric");
            }
            return writes.get(0);
        }
    }

    private JobCatalog() {
    }

    /** The jobs of a lane, in the list's order. */
    public static List<Job> lane(Lane lane) {
        return JOBS.stream().filter(job -> job.lane() == lane).toList();
    }

    /** The job whose main class this is; a class the list does not name is an error. */
    public static Job job(Class<?> mainClass) {
        return JOBS.stream().filter(job -> job.mainClassName().equals(mainClass.getName())).findFirst()
                .orElseThrow(() -> new IllegalStateException(mainClass.getName() + " is not in " + RESOURCE));
    }

    /** The gold tables, in the batch DAG's order: what the metrics write. */
    public static List<String> goldTables() {
        return lane(Lane.METRIC).stream().map(Job::goldTable).toList();
    }

    /** Every lake table a job reads or writes, first mention first: the names settings accept as {@code tables.<name>}. */
    public static Set<String> tables() {
        Set<String> tables = new LinkedHashSet<>();
        for (Job job : JOBS) {
            tables.addAll(job.reads());
            tables.addAll(job.writes());
        }
        return tables;
    }

    /** {@code tables.<name> = ""} for every table: a table's location defaults to {@code <lake.root>/<name>}. */
    public static Config tableSettings() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        tables().forEach(table -> defaults.put("tables." + table, ""));
        return ConfigFactory.parseMap(defaults, RESOURCE);
    }

    private static List<Job> load() {
        URL resource = JobCatalog.class.getResource(RESOURCE);
        if (resource == null) {
            throw new IllegalStateException("no " + RESOURCE + " beside " + JobCatalog.class.getName()
                    + " (the build copies dags/pinterest_jobs/jobs.json there)");
        }
        try {
            Config catalog = ConfigFactory.parseURL(resource, ConfigParseOptions.defaults()
                    .setSyntax(ConfigSyntax.JSON).setAllowMissing(false));
            String jobsPackage = catalog.getString("package");
            List<Job> jobs = catalog.getConfigList("jobs").stream()
                    .map(job -> new Job(jobsPackage + "." + job.getString("main_class"), Lane.parse(job.getString("lane")),
                            job.getString("task_id"), job.getStringList("reads"), job.getStringList("writes")))
                    .toList();
            jobs.stream().filter(job -> job.lane() == Lane.METRIC && job.writes().size() != 1).findFirst()
                    .ifPresent(job -> {
                        throw new IllegalStateException(RESOURCE + ": metric " + job.name()
                                + " must write exactly one gold table, not " + job.writes());
                    });
            return jobs;
        } catch (ConfigException e) {
            throw new IllegalStateException(RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
