package io.pinpipeline.jobs.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.pinpipeline.jobs.catalog.JobCatalog;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.stream.kinesis.KinesisSourceProvider;
import java.net.URI;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The jobs' one immutable settings object, read eagerly and validated once: the jar's {@code reference.conf}
 * (every key a job reads and its default), then {@code conf/<env>.conf} (shipped inside the jar, may read
 * {@code ${?VARS}}), then {@code --set} overrides. Any key that {@code reference.conf} does not define is an
 * error, as is any value of the wrong form; the message is one line that names the key. The toolkit's own keys
 * (its local servers, deploy) are not here: it layers them on top with its own settings object.
 *
 * <p>In the jobs, this is the only class that reads the environment (through Typesafe Config's {@code ${?VAR}}).
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

    /** Where KafkaToLanding reads: brokers, security protocol, where a first run starts, micro-batch size. */
    public record Kafka(String bootstrapServers, String securityProtocol, String startingOffsets, long maxOffsetsPerTrigger) {
    }

    /** The streaming lane's Kinesis source (ours or Databricks') and where a first run starts reading. */
    public record Streaming(String source, String initialPosition) {
    }

    /** The Kinesis region and endpoint; an empty endpoint means AWS's own for the region. */
    public record Kinesis(String region, Optional<URI> endpoint) {
    }

    private Settings(String env, Config config) {
        SettingValues values = new SettingValues(config);
        this.env = env;
        this.home = values.nonEmpty("home");
        this.prefix = values.matching("prefix", "[A-Za-z0-9][A-Za-z0-9_-]*");
        this.landingRoot = values.root("landing.root");
        this.latenessDays = (int) values.wholeNumber("landing.lateness-days", 0, 366, "a number of days in 0..366");
        // Spark holds a line in one byte array; 2 GB is the most one can hold.
        this.maxLineBytes = (int) values.wholeNumber("landing.max-line-bytes", 1, Integer.MAX_VALUE - 64,
                "a positive number of bytes below 2 GiB");
        this.lakeRoot = values.root("lake.root");
        Map<String, String> tables = new TreeMap<>();
        for (String table : config.getConfig("tables").root().keySet()) {
            tables.put(table, values.string("tables." + table).trim());
        }
        // The streaming lane's tables are named after the prefix: <prefix>_<kind>_table (SPEC 6).
        for (RecordKind kind : RecordKind.values()) {
            tables.put(kind.streamingTable(prefix), values.string("streaming.tables." + kind.label()).trim());
        }
        this.tableLocations = Collections.unmodifiableMap(tables);
        this.streaming = new Streaming(values.matching("streaming.source", KinesisSourceProvider.FORMAT + "|kinesis"),
                values.matching("streaming.initial-position", "TRIM_HORIZON|LATEST"));
        this.checkpointsRoot = values.root("checkpoints.root");
        this.kafka = new Kafka(values.nonEmpty("kafka.bootstrap-servers"),
                values.matching("kafka.security-protocol", "PLAINTEXT|SSL|SASL_PLAINTEXT|SASL_SSL"),
                values.matching("kafka.starting-offsets", "earliest|latest"),
                values.positiveLong("kafka.max-offsets-per-trigger"));
        this.kinesis = new Kinesis(values.nonEmpty("kinesis.region"), values.optionalHttpUrl("kinesis.endpoint"));
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
            throw new SettingsException(envResource + ": " + SettingValues.oneLine(e.getMessage()));
        }
    }

    static Settings load(String env, Config reference, Config envConfig, Map<String, String> overrides) {
        return new Settings(env, SettingValues.layered(env, reference, envConfig, overrides));
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
}
