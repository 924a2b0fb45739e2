package io.pinpipeline.jobs.stream.kinesis;

import java.io.Serializable;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The options of a {@code pinpipeline-kinesis} read, validated once when the query is defined (see
 * {@link KinesisSourceProvider} for what each means). Serializable: executors get them with each partition.
 */
final class KinesisSourceOptions implements Serializable {
    static final String STREAM_NAME = "streamName";
    static final String REGION = "region";
    static final String ENDPOINT_URL = "endpointUrl";
    static final String INITIAL_POSITION = "initialPosition";
    static final String MAX_RECORDS_PER_SHARD_PER_BATCH = "maxRecordsPerShardPerBatch";
    static final String RECORDS_PER_REQUEST = "recordsPerRequest";
    static final String MAX_RETRIES = "maxRetries";
    static final String RETRY_BACKOFF_MS = "retryBackoffMs";
    private static final Set<String> KNOWN = Set.of(STREAM_NAME, REGION, ENDPOINT_URL, INITIAL_POSITION,
            MAX_RECORDS_PER_SHARD_PER_BATCH, RECORDS_PER_REQUEST, MAX_RETRIES, RETRY_BACKOFF_MS);
    /** GetRecords returns at most this many records a call. */
    static final int MAX_RECORDS_PER_REQUEST = 10_000;

    /** Where a query with no checkpoint starts. */
    enum InitialPosition { TRIM_HORIZON, LATEST }

    private final String streamName;
    private final String region;
    private final URI endpointUrl;
    private final InitialPosition initialPosition;
    private final long maxRecordsPerShardPerBatch;
    private final int recordsPerRequest;
    private final int maxRetries;
    private final long retryBackoffMs;

    private KinesisSourceOptions(CaseInsensitiveStringMap options) {
        for (String key : options.asCaseSensitiveMap().keySet()) {
            if (KNOWN.stream().noneMatch(known -> known.equalsIgnoreCase(key))) {
                throw new IllegalArgumentException(KinesisSourceProvider.FORMAT + ": unknown option '" + key + "' (known: "
                        + new TreeSet<>(KNOWN) + ")");
            }
        }
        String stream = options.getOrDefault(STREAM_NAME, "").trim();
        if (stream.isEmpty()) {
            throw invalid(STREAM_NAME, "", "is required");
        }
        this.streamName = stream;
        String regionValue = options.getOrDefault(REGION, "").trim();
        this.region = regionValue.isEmpty() ? null : regionValue;
        String endpoint = options.getOrDefault(ENDPOINT_URL, "").trim();
        this.endpointUrl = endpoint.isEmpty() ? null : httpUri(endpoint);
        String position = options.getOrDefault(INITIAL_POSITION, InitialPosition.TRIM_HORIZON.name()).trim();
        try {
            this.initialPosition = InitialPosition.valueOf(position.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(INITIAL_POSITION, position, "is not TRIM_HORIZON or LATEST");
        }
        this.maxRecordsPerShardPerBatch = options.containsKey(MAX_RECORDS_PER_SHARD_PER_BATCH)
                ? number(options, MAX_RECORDS_PER_SHARD_PER_BATCH, 1, Long.MAX_VALUE) : Long.MAX_VALUE;
        this.recordsPerRequest = (int) (options.containsKey(RECORDS_PER_REQUEST)
                ? number(options, RECORDS_PER_REQUEST, 1, MAX_RECORDS_PER_REQUEST) : MAX_RECORDS_PER_REQUEST);
        this.maxRetries = (int) (options.containsKey(MAX_RETRIES) ? number(options, MAX_RETRIES, 0, 100) : 10);
        this.retryBackoffMs = options.containsKey(RETRY_BACKOFF_MS) ? number(options, RETRY_BACKOFF_MS, 1, 60_000) : 100;
    }

    static KinesisSourceOptions parse(Map<String, String> options) {
        return new KinesisSourceOptions(options instanceof CaseInsensitiveStringMap map ? map
                : new CaseInsensitiveStringMap(options));
    }

    String streamName() {
        return streamName;
    }

    /** The region; empty: the AWS SDK's default region chain (AWS_REGION, profile, instance metadata). */
    Optional<String> region() {
        return Optional.ofNullable(region);
    }

    /** An endpoint other than AWS's own for the region, e.g. a local Kinesis-compatible server. */
    Optional<URI> endpointUrl() {
        return Optional.ofNullable(endpointUrl);
    }

    InitialPosition initialPosition() {
        return initialPosition;
    }

    /** The most records a micro-batch takes from one shard; {@link Long#MAX_VALUE}: no bound. */
    long maxRecordsPerShardPerBatch() {
        return maxRecordsPerShardPerBatch;
    }

    boolean boundedBatches() {
        return maxRecordsPerShardPerBatch != Long.MAX_VALUE;
    }

    /** The Limit of each GetRecords call. */
    int recordsPerRequest() {
        return recordsPerRequest;
    }

    Retry retry() {
        return new Retry(maxRetries, Duration.ofMillis(retryBackoffMs));
    }

    /** True for an endpoint on this machine: localhost or a loopback address, never looked up in DNS. */
    boolean endpointIsLoopback() {
        if (endpointUrl == null) {
            return false;
        }
        String host = endpointUrl.getHost();
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;  // a name: deciding would need a DNS answer, which could point anywhere
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();  // an IP literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "stream " + streamName + (region == null ? "" : " in " + region)
                + (endpointUrl == null ? "" : " at " + endpointUrl);
    }

    private static URI httpUri(String value) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() != null && uri.getScheme().matches("(?i)https?") && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw invalid(ENDPOINT_URL, value, "is not an http(s) URL");
    }

    private static long number(CaseInsensitiveStringMap options, String key, long min, long max) {
        String value = options.get(key).trim();
        try {
            long number = Long.parseLong(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(key, value, "is not a whole number from " + min + " to " + max);
    }

    private static IllegalArgumentException invalid(String key, String value, String why) {
        return new IllegalArgumentException(KinesisSourceProvider.FORMAT + " option " + key + ": '" + value + "' " + why);
    }
}
