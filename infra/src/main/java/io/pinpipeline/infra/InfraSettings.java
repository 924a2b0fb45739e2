package io.pinpipeline.infra;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CDK app's one settings object, read eagerly and validated once. Layers, later wins: the module's
 * {@code reference.conf} (every key and its default); {@code prefix} from the project's {@code conf/<env>.conf}, so
 * that the jobs and the AWS side name topics and streams alike; the module's {@code infra/<env>.conf} (sizes per
 * environment); {@code --set} overrides. A key that reference.conf does not define is an error naming it.
 *
 * <p>Two values come from the project's own files, never from a second copy: the Airflow version, from the
 * {@code --constraint} line of {@code mwaa-requirements.txt}; the S3 sink's configuration, from
 * {@code conf/msk-connect/s3-sink.properties} (read by {@link SinkConnectorConfig}).
 */
public record InfraSettings(
        String env,
        Path home,
        String prefix,
        Optional<String> account,
        String region,
        String stackPrefix,
        Network network,
        Msk msk,
        RestProxy restProxy,
        MskConnect mskConnect,
        Kinesis kinesis,
        Api api,
        Mwaa mwaa) {

    /** The record kinds: one topic and one stream each. */
    public static final List<String> KINDS = List.of("pin", "geo", "user");
    public static final List<String> ENVIRONMENTS = List.of("dev", "prod");
    /** Relative to the repository root. */
    public static final String SINK_PROPERTIES = "conf/msk-connect/s3-sink.properties";
    public static final String MWAA_REQUIREMENTS = "mwaa-requirements.txt";
    public static final String DAGS = "dags";

    public record Network(String cidr, int natGateways) {
    }

    public record Msk(String kafkaVersion, String brokerInstanceType, int brokerVolumeGb, int topicPartitions) {
    }

    public record RestProxy(String instanceType, String confluentMinor, String confluentVersion,
                            String mskIamAuthVersion, int port) {
    }

    public record MskConnect(Path pluginZip, String kafkaConnectVersion, int mcuCount, int workerCount) {
    }

    public record Kinesis(String streamMode, int shardCount, int retentionHours) {
        public boolean onDemand() {
            return streamMode.equals("ON_DEMAND");
        }
    }

    public record Api(int throttlingRate, int throttlingBurst) {
    }

    public record Mwaa(String airflowVersion, String environmentClass, int maxWorkers, String webserverAccessMode) {
    }

    /** {@code <p>.<kind>}: the Kafka topic of a record kind. */
    public String topic(String kind) {
        return prefix + "." + kind;
    }

    /** {@code streaming-<p>-<kind>}: the Kinesis stream of a record kind. */
    public String stream(String kind) {
        return "streaming-" + prefix + "-" + kind;
    }

    /**
     * A bucket's name, {@code <stack-prefix>-<env>-<role>-<account>-<region>}: unique across AWS, and known to every
     * stack without a cross-stack reference (each passes its own account and region, tokens until deploy time).
     */
    public String bucketName(String role, String account, String region) {
        return stackPrefix + "-" + env + "-" + role + "-" + account + "-" + region;
    }

    /** {@code <stack-prefix>-<env>-<part>}: a stack's name. */
    public String stackName(String part) {
        return stackPrefix + "-" + env + "-" + part;
    }

    /**
     * Loads the settings of an environment from the repository at {@code home}.
     */
    public static InfraSettings load(String env, Path home, Map<String, String> overrides) {
        if (!ENVIRONMENTS.contains(env)) {
            throw new InfraSettingsException("--env: '" + env + "' is not one of " + ENVIRONMENTS
                    + " (the AWS side has no local environment)");
        }
        ClassLoader loader = InfraSettings.class.getClassLoader();
        Config reference = ConfigFactory.parseResources(loader, "reference.conf");
        Config known = reference.resolve();
        Map<String, Object> overrideMap = new LinkedHashMap<>();
        overrides.forEach((key, value) -> {
            if (!isSetting(known, key)) {
                throw new InfraSettingsException("--set: unknown setting '" + key + "'");
            }
            overrideMap.put(key, value);
        });
        Config merged;
        try {
            merged = ConfigFactory.parseMap(overrideMap, "--set")
                    .withFallback(ConfigFactory.parseResources(loader, "infra/" + env + ".conf"))
                    .withFallback(projectPrefix(home, env))
                    .withFallback(reference)
                    .resolve();
        } catch (ConfigException e) {
            throw new InfraSettingsException("settings for env '" + env + "': " + oneLine(e.getMessage()));
        }
        merged.entrySet().forEach(entry -> {
            if (!isSetting(known, entry.getKey())) {
                throw new InfraSettingsException("unknown setting '" + entry.getKey() + "' in "
                        + entry.getValue().origin().description());
            }
        });
        return from(env, home, merged);
    }

    private static InfraSettings from(String env, Path home, Config config) {
        String pluginZip = string(config, "infra.msk-connect.plugin-zip").trim();
        if (pluginZip.isEmpty()) {
            throw new InfraSettingsException("setting infra.msk-connect.plugin-zip is empty: download the Confluent S3 "
                    + "sink connector zip (confluentinc-kafka-connect-s3-<version>.zip, see docs/deploy-aws.md) and set "
                    + "PIPELINE_S3_SINK_PLUGIN_ZIP to its path (or --set infra.msk-connect.plugin-zip=PATH)");
        }
        Path zip = home.resolve(pluginZip).normalize();
        if (!Files.isRegularFile(zip) || !zip.toString().endsWith(".zip")) {
            throw new InfraSettingsException("setting infra.msk-connect.plugin-zip: " + zip + " is not a .zip file");
        }
        Optional<String> account = Optional.of(string(config, "infra.account").trim()).filter(a -> !a.isEmpty());
        account.ifPresent(a -> {
            if (!a.matches("[0-9]{12}")) {
                throw new InfraSettingsException("setting infra.account: '" + a + "' is not a 12-digit AWS account id");
            }
        });
        return new InfraSettings(
                env,
                home,
                matching(config, "prefix", "[a-z0-9][a-z0-9-]{0,29}",
                        "lower-case letters, digits and '-', at most 30 (it goes into bucket-safe and stream names)"),
                account,
                matching(config, "infra.region", "[a-z]{2}(-[a-z]+)+-[0-9]", "an AWS region such as us-east-1"),
                matching(config, "infra.stack-prefix", "[a-z][a-z0-9-]{0,23}", "lower-case letters, digits and '-', at most 24 (it starts bucket names)"),
                new Network(matching(config, "infra.network.cidr", "[0-9]{1,3}(\\.[0-9]{1,3}){3}/(1[6-9]|2[0-4])",
                        "an IPv4 CIDR of /16 to /24"), number(config, "infra.network.nat-gateways", 1, 2)),
                new Msk(nonEmpty(config, "infra.msk.kafka-version"),
                        matching(config, "infra.msk.broker-instance-type", "kafka\\.[a-z0-9]+\\.[a-z0-9]+", "a kafka.* instance type"),
                        number(config, "infra.msk.broker-volume-gb", 1, 16384),
                        number(config, "infra.msk.topic-partitions", 1, 1000)),
                new RestProxy(nonEmpty(config, "infra.rest-proxy.instance-type"),
                        matching(config, "infra.rest-proxy.confluent-minor", "[0-9]+\\.[0-9]+", "major.minor"),
                        matching(config, "infra.rest-proxy.confluent-version", "[0-9]+\\.[0-9]+\\.[0-9]+", "a version"),
                        matching(config, "infra.rest-proxy.msk-iam-auth-version", "[0-9]+\\.[0-9]+\\.[0-9]+", "a version"),
                        number(config, "infra.rest-proxy.port", 1024, 65535)),
                new MskConnect(zip, nonEmpty(config, "infra.msk-connect.kafka-connect-version"),
                        number(config, "infra.msk-connect.mcu-count", 1, 8),
                        number(config, "infra.msk-connect.worker-count", 1, 10)),
                new Kinesis(matching(config, "infra.kinesis.stream-mode", "ON_DEMAND|PROVISIONED", "ON_DEMAND or PROVISIONED"),
                        number(config, "infra.kinesis.shard-count", 1, 500),
                        number(config, "infra.kinesis.retention-hours", 24, 8760)),
                new Api(number(config, "infra.api.throttling-rate", 1, 10000),
                        number(config, "infra.api.throttling-burst", 1, 5000)),
                new Mwaa(airflowVersion(home.resolve(MWAA_REQUIREMENTS)),
                        matching(config, "infra.mwaa.environment-class", "mw1\\.(micro|small|medium|large|xlarge|2xlarge)",
                                "an MWAA environment class"),
                        number(config, "infra.mwaa.max-workers", 1, 25),
                        matching(config, "infra.mwaa.webserver-access-mode", "PUBLIC_ONLY|PRIVATE_ONLY",
                                "PUBLIC_ONLY or PRIVATE_ONLY")));
    }

    /**
     * Only the project's {@code prefix} from conf/<env>.conf: the rest of that file is the jobs' settings. Its other
     * values may refer to keys only the jobs define, so it is resolved leniently and only prefix is taken.
     */
    private static Config projectPrefix(Path home, String env) {
        Path file = home.resolve("conf").resolve(env + ".conf");
        if (!Files.isRegularFile(file)) {
            throw new InfraSettingsException("no " + file + ": is PIPELINE_HOME the repository root?");
        }
        Config conf = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false))
                .resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true));
        if (conf.hasPath("prefix") && conf.getValue("prefix").valueType() == ConfigValueType.STRING) {
            return ConfigFactory.parseMap(Map.of("prefix", conf.getString("prefix")), file.toString());
        }
        return ConfigFactory.empty();
    }

    private static final Pattern CONSTRAINT = Pattern.compile("constraints-([0-9]+(\\.[0-9]+)+)/constraints-");

    /** The Airflow version of the {@code --constraint} URL in mwaa-requirements.txt: MWAA's version, in one place. */
    static String airflowVersion(Path requirements) {
        try {
            Matcher matcher = CONSTRAINT.matcher(Files.readString(requirements));
            if (!matcher.find()) {
                throw new InfraSettingsException(requirements + " has no --constraint line naming the Airflow version");
            }
            return matcher.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + requirements, e);
        }
    }

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
        } catch (ConfigException e) {
            throw new InfraSettingsException("setting " + key + ": " + oneLine(e.getMessage()));
        }
    }

    private static String nonEmpty(Config config, String key) {
        String value = string(config, key).trim();
        if (value.isEmpty()) {
            throw new InfraSettingsException("setting " + key + " is empty");
        }
        return value;
    }

    private static String matching(Config config, String key, String pattern, String what) {
        String value = string(config, key).trim();
        if (!value.matches(pattern)) {
            throw new InfraSettingsException("setting " + key + ": '" + value + "' is not " + what);
        }
        return value;
    }

    private static int number(Config config, String key, int min, int max) {
        String value = string(config, key).trim();
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InfraSettingsException("setting " + key + ": '" + value + "' is not a whole number in " + min + ".." + max);
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ");
    }
}
