package io.pinpipeline.toolkit.settings;

import io.pinpipeline.jobs.settings.JobArgs;
import io.pinpipeline.jobs.settings.SettingValues;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.jobs.settings.SettingsException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The toolkit's one settings object: the jobs' {@link Settings}, which it hands to the jobs it runs, and its own keys
 * on top (its local servers, {@code ./pipeline deploy}'s workspace and bucket), read eagerly and validated once.
 * Layers of its own, later wins: {@code toolkit/reference.conf} (every key and its default), {@code toolkit/<env>.conf}
 * (may read {@code ${?VARS}}), then the {@code --set} overrides whose key is under one of its sections; every other
 * override goes to the jobs' settings, which reject a key they do not know. So {@code --set} reaches both modules, a
 * job on a cluster never reads or checks a toolkit key, and an unknown key is one line that names it.
 */
public record ToolkitSettings(Settings jobs, Local local, Databricks databricks, Mwaa mwaa) {
    private static final String FOLDER = "toolkit/";
    /** The DAGs' defaults, which the reference reads; not settings themselves. */
    private static final String DAG_DEFAULTS = "dag-defaults";
    /** The reference's sections that hold settings: a --set key under one of them is the toolkit's. */
    private static final Set<String> SECTIONS = sections();

    /** ./pipeline's local stand-ins: its Kafka broker's data, its gateway's port, the faults its REST proxy makes. */
    public record Local(String kafkaData, int gatewayPort, KafkaRestFaults kafkaRestFaults) {
    }

    /**
     * The share of records the local REST proxy stand-in fails on purpose, with error_code 2 (retriable) and 1 (not
     * retriable); their sum is at most 1.
     */
    public record KafkaRestFaults(double retriable, double notRetriable) {
    }

    /**
     * Where {@code ./pipeline deploy} puts the job jar and how the DAGs run it. An empty host means not configured:
     * deploy refuses to run. The token is never a setting.
     */
    public record Databricks(Optional<URI> host, String airflowConnId, String jarFolder, int pollingPeriodSeconds,
                             Cluster cluster) {
    }

    /**
     * The DAG tasks' cluster: a new job cluster of {@code nodeTypeId} nodes, or from an instance pool (which gives
     * the node type), or an existing all-purpose cluster. At most one of the two ids is present.
     */
    public record Cluster(String sparkVersion, String nodeTypeId, int numWorkers, Optional<String> instancePoolId,
                          Optional<String> existingClusterId) {
    }

    /**
     * The MWAA environment's bucket (empty: not configured), its region, where the DAG folder and the requirements
     * file go in it, and an S3-compatible endpoint instead of AWS's (empty: AWS's own).
     */
    public record Mwaa(Optional<String> bucket, String region, String dagsPrefix, String requirementsKey,
                       Optional<URI> s3Endpoint) {
    }

    /** The settings for the environment and overrides of a command's arguments. */
    public static ToolkitSettings load(JobArgs args) {
        return load(args.env(), args.overrides());
    }

    public static ToolkitSettings load(String env, Map<String, String> overrides) {
        Map<String, String> own = new LinkedHashMap<>();
        Map<String, String> theJobs = new LinkedHashMap<>();
        overrides.forEach((key, value) -> (isToolkitKey(key) ? own : theJobs).put(key, value));
        Settings jobs = Settings.load(env, theJobs);
        // An environment the toolkit has nothing to say about (one only the jobs ship) takes its defaults.
        SettingValues values = SettingValues.ofModule(env, ToolkitSettings.class.getClassLoader(), FOLDER,
                Map.of("home", jobs.home()), own);
        return new ToolkitSettings(jobs, local(values), databricks(values), mwaa(values));
    }

    /** Whether {@code --set key=...} is the toolkit's: a key under one of its sections (local, databricks, mwaa). */
    public static boolean isToolkitKey(String key) {
        return SECTIONS.contains(key.split("\\.", 2)[0]);
    }

    private static Set<String> sections() {
        Set<String> sections = new TreeSet<>(SettingValues.sections(ToolkitSettings.class.getClassLoader(), FOLDER));
        sections.remove(DAG_DEFAULTS);
        return Set.copyOf(sections);
    }

    private static Local local(SettingValues values) {
        double retriable = values.share("local.kafka-rest-faults.retriable");
        double notRetriable = values.share("local.kafka-rest-faults.not-retriable");
        if (retriable + notRetriable > 1) {
            throw new SettingsException("setting local.kafka-rest-faults.not-retriable: " + notRetriable
                    + " and retriable " + retriable + " add up to more than 1");
        }
        return new Local(values.root("local.kafka-data"), values.port("local.gateway-port"),
                new KafkaRestFaults(retriable, notRetriable));
    }

    private static Databricks databricks(SettingValues values) {
        String jarFolder = values.root("databricks.jar-folder");
        if (!jarFolder.startsWith("dbfs:/") && !jarFolder.startsWith("/Volumes/")) {
            throw new SettingsException("setting databricks.jar-folder: '" + jarFolder
                    + "' is neither a DBFS folder (dbfs:/...) nor a volume folder (/Volumes/<catalog>/<schema>/<volume>/...)");
        }
        long polling = values.wholeNumber("databricks.polling-period-seconds", 1, Integer.MAX_VALUE,
                "a positive whole number");
        long workers = values.wholeNumber("databricks.cluster.num-workers", 0, Integer.MAX_VALUE, "a whole number >= 0");
        Optional<String> pool = values.optional("databricks.cluster.instance-pool-id");
        Optional<String> existing = values.optional("databricks.cluster.existing-cluster-id");
        if (pool.isPresent() && existing.isPresent()) {
            throw new SettingsException("setting databricks.cluster.existing-cluster-id: an existing cluster has no "
                    + "instance pool; set only one of it and databricks.cluster.instance-pool-id");
        }
        Cluster cluster = new Cluster(values.nonEmpty("databricks.cluster.spark-version"),
                values.nonEmpty("databricks.cluster.node-type-id"), (int) workers, pool, existing);
        return new Databricks(values.optionalHttpUrl("databricks.host"), values.nonEmpty("databricks.airflow-conn-id"),
                jarFolder, (int) polling, cluster);
    }

    private static Mwaa mwaa(SettingValues values) {
        Optional<String> bucket = values.optional("mwaa.bucket");
        if (bucket.isPresent() && !bucket.get().matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new SettingsException("setting mwaa.bucket: '" + bucket.get() + "' is not an S3 bucket name");
        }
        // Keys are relative to the bucket: no leading or trailing slashes.
        String dagsPrefix = values.string("mwaa.dags-prefix").trim().replaceAll("^/+|/+$", "");
        if (dagsPrefix.isEmpty()) {
            throw new SettingsException("setting mwaa.dags-prefix is empty");
        }
        String requirementsKey = values.string("mwaa.requirements-key").trim().replaceAll("^/+", "");
        if (requirementsKey.isEmpty() || requirementsKey.endsWith("/")) {
            throw new SettingsException("setting mwaa.requirements-key: '" + requirementsKey + "' is not an object key");
        }
        return new Mwaa(bucket, values.nonEmpty("mwaa.region"), dagsPrefix, requirementsKey,
                values.optionalHttpUrl("mwaa.s3-endpoint"));
    }
}
