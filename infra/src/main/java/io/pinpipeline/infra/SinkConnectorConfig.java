package io.pinpipeline.infra;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MSK Connect S3 sink's configuration, read at synthesis from the one file that defines it,
 * {@code conf/msk-connect/s3-sink.properties}, with its placeholders filled in: {@code <prefix>} (in
 * {@code topics.regex}) and {@code <landing bucket>} (in {@code s3.bucket.name}); {@code s3.region} becomes the
 * stack's region. A placeholder left over is an error, so a new one in the file cannot reach AWS unfilled.
 */
public final class SinkConnectorConfig {
    /** The converters a worker configuration carries: the same values the connector itself names. */
    static final List<String> WORKER_KEYS = List.of("key.converter", "value.converter", "value.converter.schemas.enable");
    private static final Pattern PLACEHOLDER = Pattern.compile("<[a-z ]+>");

    private SinkConnectorConfig() {
    }

    /** The file's properties as written (escapes resolved), in key order. */
    public static Map<String, String> read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Map<String, String> config = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> config.put(key, properties.getProperty(key)));
        return config;
    }

    /**
     * The connector configuration: the file's properties with the placeholders filled in. {@code landingBucket} may
     * be a CDK token (the bucket's name is known only at deploy time); it is passed through as it is.
     */
    public static Map<String, String> connectorConfig(Map<String, String> file, String prefix, String landingBucket,
                                                      String region) {
        Map<String, String> config = new TreeMap<>();
        file.forEach((key, value) -> config.put(key, value
                .replace("<prefix>", prefix)
                .replace("<landing bucket>", landingBucket)));
        config.put("s3.region", region);
        config.forEach((key, value) -> {
            Matcher matcher = PLACEHOLDER.matcher(value);
            if (matcher.find()) {
                throw new IllegalStateException(InfraSettings.SINK_PROPERTIES + ": " + key + " still holds the placeholder "
                        + matcher.group() + " that the CDK app does not fill in");
            }
        });
        return config;
    }

    /** The worker configuration's properties file: the converters, as the connector's configuration names them. */
    public static String workerProperties(Map<String, String> file) {
        StringBuilder text = new StringBuilder();
        for (String key : WORKER_KEYS) {
            String value = file.get(key);
            if (value == null) {
                throw new IllegalStateException(InfraSettings.SINK_PROPERTIES + " has no " + key);
            }
            text.append(key).append('=').append(value).append('\n');
        }
        return text.toString();
    }
}
