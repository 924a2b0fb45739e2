package io.pinpipeline.jobs.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.pinpipeline.jobs.catalog.JobCatalog;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.stream.kinesis.KinesisSourceProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The one immutable settings object, read eagerly and validated once: the jar's {@code reference.conf}
 * (every key and its default), then {@code conf/<env>.conf} (shipped inside the jar, may read
 * {@code ${?VARS}}), then {@code --set} overrides. Any key that {@code reference.conf} does not define is an
 * error, as is any value of the wrong form; the message is one line that names the key.
 *
 * <p>This is the only class that reads the environment (through Typesafe Config's {@code ${?VAR}}).
 */
public final class Settings {
    private static final String REFERENCE = "reference.conf";

    private final String env;
    private final String home;
    private final String prefix;
    private final String landingRoot;
    private final int latenessDays;
    private final int maxLineBytes;
    private final String lakeRoot;
    private final Map<String, String> tableLocations;
    private final String checkpointsRoot;
    private final Kafka kafka;
    private final Kinesis kinesis;
    private final Streaming streaming;
    private final String localKafkaData;
    private final int localGatewayPort;
    private final KafkaRestFaults localKafkaRestFaults;
    private final Databricks databricks;
    private final Mwaa mwaa;

    /** Where KafkaToLanding reads: brokers, security protocol, where a first run starts, micro-batch size. */
    public record Kafka(String bootstrapServers, String securityProtocol, String startingOffsets, long maxOffsetsPerTrigger) {
    }

    /** The streaming lane's Kinesis source (ours or Databricks') and where a first run starts reading. */
    public record Streaming(String source, String initialPosition) {
    }

    /**
     * The share of records the local REST proxy stand-in fails on purpose, with error_code 2 (retriable) and 1 (not
     * retriable); their sum is at most 1.
     */
    public record KafkaRestFaults(double retriable, double notRetriable) {
    }

    /** The Kinesis region and endpoint; an empty endpoint means AWS's own for the region. */
    public record Kinesis(String region, Optional<URI> endpoint) {
    }

    /**
     * Where {@code ./pipeline deploy} puts the job jar and how the DAGs run it (toolkit only; the jobs never read
     * it). An empty host means not configured: deploy refuses to run. The token is never a setting.
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

    private Settings(String env, Config config) {
        this.env = env;
        this.home = nonEmpty(config, "home");
        this.prefix = matching(config, "prefix", "[A-Za-z0-9][A-Za-z0-9_-]*");
        this.landingRoot = root(config, "landing.root");
        this.latenessDays = (int) wholeNumber(config, "landing.lateness-days", 0, 366, "a number of days in 0..366");
        // Spark holds a line in one byte array; 2 GB is the most one can hold.
        this.maxLineBytes = (int) wholeNumber(config, "landing.max-line-bytes", 1, Integer.MAX_VALUE - 64,
                "a positive number of bytes below 2 GiB");
        this.lakeRoot = root(config, "lake.root");
        Map<String, String> tables = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> entry : config.getConfig("tables").root().entrySet()) {
            tables.put(entry.getKey(), string(config, "tables." + entry.getKey()).trim());
        }
        // The streaming lane's tables are named after the prefix: <prefix>_<kind>_table (SPEC 6).
        for (RecordKind kind : RecordKind.values()) {
            tables.put(kind.streamingTable(prefix), string(config, "streaming.tables." + kind.label()).trim());
        }
        this.tableLocations = Collections.unmodifiableMap(tables);
        this.streaming = new Streaming(matching(config, "streaming.source", KinesisSourceProvider.FORMAT + "|kinesis"),
                matching(config, "streaming.initial-position", "TRIM_HORIZON|LATEST"));
        this.checkpointsRoot = root(config, "checkpoints.root");
        this.kafka = new Kafka(nonEmpty(config, "kafka.bootstrap-servers"),
                matching(config, "kafka.security-protocol", "PLAINTEXT|SSL|SASL_PLAINTEXT|SASL_SSL"),
                matching(config, "kafka.starting-offsets", "earliest|latest"),
                positiveLong(config, "kafka.max-offsets-per-trigger"));
        String endpoint = string(config, "kinesis.endpoint").trim();
        this.kinesis = new Kinesis(nonEmpty(config, "kinesis.region"),
                endpoint.isEmpty() ? Optional.empty() : Optional.of(uri("kinesis.endpoint", endpoint)));
        this.localKafkaData = root(config, "local.kafka-data");
        long port = positiveLong(config, "local.gateway-port");
        if (port > 65_535) {
            throw new SettingsException("setting local.gateway-port: " + port + " is not a port");
        }
        this.localGatewayPort = (int) port;
        this.localKafkaRestFaults = kafkaRestFaults(config);
        this.databricks = databricks(config);
        this.mwaa = mwaa(config);
    }

    private static KafkaRestFaults kafkaRestFaults(Config config) {
        double retriable = share(config, "local.kafka-rest-faults.retriable");
        double notRetriable = share(config, "local.kafka-rest-faults.not-retriable");
        if (retriable + notRetriable > 1) {
            throw new SettingsException("setting local.kafka-rest-faults.not-retriable: " + notRetriable
                    + " and retriable " + retriable + " add up to more than 1");
        }
        return new KafkaRestFaults(retriable, notRetriable);
    }

    private static Databricks databricks(Config config) {
        String jarFolder = root(config, "databricks.jar-folder");
        if (!jarFolder.startsWith("dbfs:/") && !jarFolder.startsWith("/Volumes/")) {
            throw new SettingsException("setting databricks.jar-folder: '" + jarFolder
                    + "' is neither a DBFS folder (dbfs:/...) nor a volume folder (/Volumes/<catalog>/<schema>/<volume>/...)");
        }
        long polling = positiveLong(config, "databricks.polling-period-seconds");
        long workers = nonNegativeLong(config, "databricks.cluster.num-workers");
        Optional<String> pool = optional(config, "databricks.cluster.instance-pool-id");
        Optional<String> existing = optional(config, "databricks.cluster.existing-cluster-id");
        if (pool.isPresent() && existing.isPresent()) {
            throw new SettingsException("setting databricks.cluster.existing-cluster-id: an existing cluster has no "
                    + "instance pool; set only one of it and databricks.cluster.instance-pool-id");
        }
        Cluster cluster = new Cluster(nonEmpty(config, "databricks.cluster.spark-version"),
                nonEmpty(config, "databricks.cluster.node-type-id"), (int) Math.min(workers, Integer.MAX_VALUE),
                pool, existing);
        Optional<URI> host = optional(config, "databricks.host").map(value -> uri("databricks.host", value));
        return new Databricks(host, nonEmpty(config, "databricks.airflow-conn-id"), jarFolder,
                (int) Math.min(polling, Integer.MAX_VALUE), cluster);
    }

    private static Mwaa mwaa(Config config) {
        Optional<String> bucket = optional(config, "mwaa.bucket");
        if (bucket.isPresent() && !bucket.get().matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new SettingsException("setting mwaa.bucket: '" + bucket.get() + "' is not an S3 bucket name");
        }
        // Keys are relative to the bucket: no leading or trailing slashes.
        String dagsPrefix = string(config, "mwaa.dags-prefix").trim().replaceAll("^/+|/+$", "");
        if (dagsPrefix.isEmpty()) {
            throw new SettingsException("setting mwaa.dags-prefix is empty");
        }
        String requirementsKey = string(config, "mwaa.requirements-key").trim().replaceAll("^/+", "");
        if (requirementsKey.isEmpty() || requirementsKey.endsWith("/")) {
            throw new SettingsException("setting mwaa.requirements-key: '" + requirementsKey + "' is not an object key");
        }
        return new Mwaa(bucket, nonEmpty(config, "mwaa.region"), dagsPrefix, requirementsKey,
                optional(config, "mwaa.s3-endpoint").map(value -> uri("mwaa.s3-endpoint", value)));
    }

    /** Loads the settings for the environment and overrides that a job was given. */
    public static Settings load(JobArgs args) {
        return load(args.env(), args.overrides());
    }

    public static Settings load(String env, Map<String, String> overrides) {
        ClassLoader loader = Settings.class.getClassLoader();
        String envResource = "conf/" + env + ".conf";
        if (loader.getResource(envResource) == null) {
            throw new SettingsException("--env: unknown environment '" + env + "' (no " + envResource
                    + " in the jar; shipped: local, dev, prod)");
        }
        try {
            // tables.<name> for every table of the job list, each "" (under lake.root) unless set.
            Config reference = ConfigFactory.parseResources(loader, REFERENCE).withFallback(JobCatalog.tableSettings());
            Config envConfig = ConfigFactory.parseResources(loader, envResource,
                    ConfigParseOptions.defaults().setAllowMissing(false));
            return load(env, reference, envConfig, overrides);
        } catch (ConfigException e) {
            throw new SettingsException(envResource + ": " + oneLine(e.getMessage()));
        }
    }

    static Settings load(String env, Config reference, Config envConfig, Map<String, String> overrides) {
        Config known = reference.resolve();
        Map<String, Object> overrideMap = new LinkedHashMap<>();
        overrides.forEach((key, value) -> {
            if (!isSetting(known, key)) {
                throw new SettingsException("--set: unknown setting '" + key + "'");
            }
            overrideMap.put(key, value);
        });
        Config merged;
        try {
            merged = ConfigFactory.parseMap(overrideMap, "--set")
                    .withFallback(envConfig)
                    .withFallback(reference)
                    .resolve();
        } catch (ConfigException e) {
            throw new SettingsException("settings for env '" + env + "': " + oneLine(e.getMessage()));
        }
        for (Map.Entry<String, ConfigValue> entry : merged.entrySet()) {
            if (!isSetting(known, entry.getKey())) {
                throw new SettingsException("unknown setting '" + entry.getKey() + "' in "
                        + entry.getValue().origin().description());
            }
        }
        return new Settings(env, merged);
    }

    public String env() {
        return env;
    }

    /** Where local relative paths start ({@code home}, {@code PIPELINE_HOME}): what a job on this machine gets. */
    public String home() {
        return home;
    }

    public String prefix() {
        return prefix;
    }

    public String landingRoot() {
        return landingRoot;
    }

    /** How many days before a batch run's date it re-cleans, for files that landed late. */
    public int latenessDays() {
        return latenessDays;
    }

    /** Landed lines longer than this many bytes go to quarantine unparsed. */
    public int maxLineBytes() {
        return maxLineBytes;
    }

    public String lakeRoot() {
        return lakeRoot;
    }

    /** Streaming checkpoints live under this root, one folder per query. */
    public String checkpointsRoot() {
        return checkpointsRoot;
    }

    public Kafka kafka() {
        return kafka;
    }

    public Kinesis kinesis() {
        return kinesis;
    }

    public Streaming streaming() {
        return streaming;
    }

    /** {@code ./pipeline deploy}'s workspace, jar folder and the DAGs' cluster. */
    public Databricks databricks() {
        return databricks;
    }

    /** {@code ./pipeline deploy}'s MWAA bucket and where things go in it. */
    public Mwaa mwaa() {
        return mwaa;
    }

    /** Where ./pipeline's local Kafka broker keeps its data. */
    public String localKafkaData() {
        return localKafkaData;
    }

    /** The port of ./pipeline's local gateway when it runs on its own ({@code ./pipeline serve}). */
    public int localGatewayPort() {
        return localGatewayPort;
    }

    /** The share of records ./pipeline's local REST proxy stand-in fails on purpose (none by default). */
    public KafkaRestFaults localKafkaRestFaults() {
        return localKafkaRestFaults;
    }

    /** The configured location of a table: a path, a catalog name, or "" for the default under lake.root. */
    public String tableLocation(String table) {
        String location = tableLocations.get(table);
        if (location == null) {
            throw new SettingsException("no setting tables." + table + " (known tables: " + tableLocations.keySet() + ")");
        }
        return location;
    }

    /** Every table that has a {@code tables.<name>} setting, by name. */
    public java.util.Set<String> tableNames() {
        return tableLocations.keySet();
    }

    @Override
    public String toString() {
        return "Settings[env=" + env + ", prefix=" + prefix + ", landing.root=" + landingRoot
                + ", lake.root=" + lakeRoot + "]";
    }

    /** A key names a setting when reference.conf gives it a value (not a whole section such as tables). */
    private static boolean isSetting(Config known, String key) {
        try {
            return known.hasPathOrNull(key) && known.getValue(key).valueType() != ConfigValueType.OBJECT;
        } catch (ConfigException.BadPath e) {
            return false;
        }
    }

    private static String string(Config config, String key) {
        try {
            return config.getString(key);
        } catch (ConfigException.Missing e) {
            throw new SettingsException("setting " + key + " is missing");
        } catch (ConfigException e) {
            throw new SettingsException("setting " + key + ": " + oneLine(e.getMessage()));
        }
    }

    private static String matching(Config config, String key, String pattern) {
        String value = string(config, key);
        if (!value.matches(pattern)) {
            throw new SettingsException("setting " + key + ": '" + value + "' does not match " + pattern);
        }
        return value;
    }

    private static String nonEmpty(Config config, String key) {
        String value = string(config, key).trim();
        if (value.isEmpty()) {
            throw new SettingsException("setting " + key + " is empty");
        }
        return value;
    }

    private static long positiveLong(Config config, String key) {
        return wholeNumber(config, key, 1, Long.MAX_VALUE, "a positive whole number");
    }

    private static long nonNegativeLong(Config config, String key) {
        return wholeNumber(config, key, 0, Long.MAX_VALUE, "a whole number >= 0");
    }

    /** A whole number in {@code min..max}; anything else is an error that says it is not {@code what}. */
    private static long wholeNumber(Config config, String key, long min, long max, String what) {
        String value = string(config, key).trim();
        try {
            long number = Long.parseLong(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SettingsException("setting " + key + ": '" + value + "' is not " + what);
    }

    /** A number from 0 to 1, a share of something. */
    private static double share(Config config, String key) {
        String value = string(config, key).trim();
        try {
            double number = Double.parseDouble(value);
            if (number >= 0 && number <= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SettingsException("setting " + key + ": '" + value + "' is not a number from 0 to 1");
    }

    /** A string setting where "" means not set. */
    private static Optional<String> optional(Config config, String key) {
        String value = string(config, key).trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static URI uri(String key, String value) {
        try {
            URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if (uri.getScheme() != null && uri.getScheme().matches("https?") && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new SettingsException("setting " + key + ": '" + value + "' is not an http(s) URL");
    }

    private static String root(Config config, String key) {
        String value = nonEmpty(config, key);
        return value.endsWith("/") && value.length() > 1 ? value.substring(0, value.length() - 1) : value;
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ");
    }
}
