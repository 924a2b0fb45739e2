package io.pinpipeline.toolkit.local;

import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.toolkit.cli.UsageException;
import io.pinpipeline.toolkit.settings.ToolkitSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

/** How ./pipeline reaches Kinesis: the local Kinesis-compatible server on loopback, or AWS's own. */
public final class LocalServers {
    /**
     * Shards of each local stream. kinesis-local slows down as a shard fills (it rehashes the shard's records on
     * every put): 16 shards a stream take about 430 posts/s where 4 take 145; 3 x 16 is within its limit of 50.
     */
    public static final int SHARDS = 16;

    private LocalServers() {
    }

    /**
     * A file or folder of the local servers' own, beside the local Kafka broker's data: {@code <home>/local-data/<name>}
     * with the default settings.
     */
    public static Path localData(ToolkitSettings settings, String name) {
        return Path.of(settings.local().kafkaData()).toAbsolutePath().resolveSibling(name);
    }

    /** The streams {@code streaming-<prefix>-pin|geo|user}. */
    public static List<String> streams(Settings settings) {
        return Arrays.stream(RecordKind.values()).map(kind -> kind.stream(settings.prefix())).toList();
    }

    /** Where the Kinesis sink sends, for messages: the endpoint, or AWS in the region. */
    public static String kinesisTarget(Settings settings) {
        return settings.kinesis().endpoint().map(URI::toString).orElse("Kinesis in " + settings.kinesis().region());
    }

    /**
     * A client for kinesis.endpoint: on loopback, the local server's (dummy credentials, no SDK retries: the sinks
     * retry and count); elsewhere AWS's default credential chain, never a key from a file. A loopback endpoint
     * where nothing listens is a usage error that says how to start the local server.
     */
    public static KinesisClient kinesisClient(Settings settings) {
        Optional<URI> endpoint = settings.kinesis().endpoint();
        if (endpoint.isPresent() && isLoopback(endpoint.get())) {
            if (!listening(endpoint.get())) {
                throw new UsageException("no Kinesis server at " + endpoint.get()
                        + ": `./pipeline serve` starts the local one (or --set kinesis.endpoint=URL)");
            }
            return LocalKinesis.client(endpoint.get(), settings.kinesis().region());
        }
        KinesisClientBuilder builder = KinesisClient.builder().region(Region.of(settings.kinesis().region()));
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** The local Kinesis server at a loopback kinesis.endpoint: the one listening there, or a new one; streams made. */
    public static Kinesis kinesis(ToolkitSettings toolkit) {
        Settings settings = toolkit.jobs();
        URI endpoint = settings.kinesis().endpoint()
                .filter(LocalServers::isLoopback)
                .orElseThrow(() -> new UsageException("kinesis.endpoint must be a loopback URL for the local server"));
        LocalKinesis started = null;
        if (!listening(endpoint)) {
            Path log = localData(toolkit, "kinesis-local.log");
            try {
                Files.createDirectories(log.getParent());
            } catch (IOException e) {
                throw new IllegalStateException("cannot create " + log.getParent(), e);
            }
            started = LocalKinesis.start(settings.kinesis().region(), endpoint.getPort(), log);
            for (String stream : streams(settings)) {
                started.createStream(stream, SHARDS);
            }
        }
        return new Kinesis(started);
    }

    /**
     * A local Kinesis server of a command's own, on a free port, with the prefix's streams; it keeps them in memory,
     * so they hold only what this command sends. Its log is {@code local-data/<logName>}.
     */
    public static LocalKinesis freshKinesis(ToolkitSettings toolkit, String logName) {
        Settings settings = toolkit.jobs();
        Path log = localData(toolkit, logName);
        try {
            Files.createDirectories(log.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalKinesis kinesis = LocalKinesis.start(settings.kinesis().region(), log);
        try {
            for (String stream : streams(settings)) {
                kinesis.createStream(stream, SHARDS);
            }
            return kinesis;
        } catch (RuntimeException e) {
            kinesis.close();
            throw e;
        }
    }

    /**
     * What {@code ./pipeline serve} runs: the local Kinesis server at kinesis.endpoint with the streams (unless one
     * listens there), and the Kafka path (the broker, unless one listens, and the gateway on {@code gatewayPort}) with
     * the gateway's Kinesis proxy route in front of it.
     */
    public static Serving serve(ToolkitSettings toolkit, int gatewayPort) {
        Settings settings = toolkit.jobs();
        Kinesis kinesis = kinesis(toolkit);
        KinesisClient client = null;
        try {
            client = kinesisClient(settings);
            KafkaPath kafka = KafkaPath.open(toolkit, gatewayPort, Clock.systemUTC(),
                    Map.of("/streams/", new KinesisProxyHandler(client)));
            return new Serving(kinesis, client, kafka);
        } catch (RuntimeException e) {
            if (client != null) {
                client.close();
            }
            kinesis.close();
            throw e;
        }
    }

    /** The servers of {@link #serve}; closing stops what it started. */
    public record Serving(Kinesis kinesis, KinesisClient client, KafkaPath kafka) implements AutoCloseable {
        @Override
        public void close() {
            kafka.close();
            client.close();
            kinesis.close();
        }
    }

    /** A local Kinesis server this command started (closed with it), or none. */
    public record Kinesis(LocalKinesis server) implements AutoCloseable {
        public boolean started() {
            return server != null;
        }

        @Override
        public void close() {
            if (server != null) {
                server.close();
            }
        }
    }

    private static boolean isLoopback(URI endpoint) {
        try {
            return InetAddress.getByName(endpoint.getHost()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean listening(URI endpoint) {
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : endpoint.getScheme().equals("https") ? 443 : 80;
        return Loopback.listening(new InetSocketAddress(endpoint.getHost(), port));
    }
}
