package io.pinpipeline.jobs.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
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
    private final String prefix;
    private final String landingRoot;
    private final String lakeRoot;
    private final Map<String, String> tableLocations;
    private final String checkpointsRoot;
    private final Kafka kafka;
    private final Kinesis kinesis;
    private final Streaming streaming;
    private final String localKafkaData;
    private final int localGatewayPort;

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
        this.env = env;
        this.prefix = matching(config, "prefix", "[A-Za-z0-9][A-Za-z0-9_-]*");
        this.landingRoot = root(config, "landing.root");
        this.lakeRoot = root(config, "lake.root");
        Map<String, String> tables = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> entry : config.getConfig("tables").root().entrySet()) {
            tables.put(entry.getKey(), string(config, "tables." + entry.getKey()).trim());
        }
        // The streaming lane's tables are named after the prefix: <prefix>_<kind>_table (SPEC 6).
        for (String kind : new String[] {"pin", "geo", "user"}) {
            tables.put(prefix + "_" + kind + "_table", string(config, "streaming.tables." + kind).trim());
        }
        this.tableLocations = Collections.unmodifiableMap(tables);
        this.streaming = new Streaming(matching(config, "streaming.source", "pinpipeline-kinesis|kinesis"),
                matching(config, "streaming.initial-position", "TRIM_HORIZON|LATEST"));
        this.checkpointsRoot = root(config, "checkpoints.root");
        this.kafka = new Kafka(nonEmpty(config, "kafka.bootstrap-servers"),
                matching(config, "kafka.security-protocol", "PLAINTEXT|SSL|SASL_PLAINTEXT|SASL_SSL"),
                matching(config, "kafka.starting-offsets", "earliest|latest"),
                positiveLong(config, "kafka.max-offsets-per-trigger"));
        String endpoint = string(config, "kinesis.endpoint").trim();
        this.kinesis = new Kinesis(nonEmpty(config, "kinesis.region"),
                endpoint.isEmpty() ? Optional.empty() : Optional.of(uri(endpoint)));
        this.localKafkaData = root(config, "local.kafka-data");
        long port = positiveLong(config, "local.gateway-port");
        if (port > 65_535) {
            throw new SettingsException("setting local.gateway-port: " + port + " is not a port");
        }
        this.localGatewayPort = (int) port;
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
            Config reference = ConfigFactory.parseResources(loader, REFERENCE);
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

    public String prefix() {
        return prefix;
    }

    public String landingRoot() {
        return landingRoot;
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

    /** Where ./pipeline's local Kafka broker keeps its data. */
    public String localKafkaData() {
        return localKafkaData;
    }

    /** The port of ./pipeline's local gateway when it runs on its own ({@code ./pipeline serve}). */
    public int localGatewayPort() {
        return localGatewayPort;
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
        String value = string(config, key).trim();
        try {
            long number = Long.parseLong(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SettingsException("setting " + key + ": '" + value + "' is not a positive whole number");
    }

    private static URI uri(String value) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() != null && uri.getScheme().matches("https?") && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new SettingsException("setting kinesis.endpoint: '" + value + "' is not an http(s) URL");
    }

    private static String root(Config config, String key) {
        String value = nonEmpty(config, key);
        return value.endsWith("/") && value.length() > 1 ? value.substring(0, value.length() - 1) : value;
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ");
    }
}
