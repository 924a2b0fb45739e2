package io.pinpipeline.toolkit.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * kinesis-local (npm, a Node build of kinesis-mock) as a child process: the local Kinesis-compatible server for
 * ./pipeline and the Kinesis tests.
 *
 * <ul>
 *   <li>The package lives in {@code <home>/toolkit/node/node_modules}, where {@code npm ci --prefix toolkit/node}
 *       puts it (CI does; this class does not run npm itself, so that starting a server never goes to the
 *       network). Home is {@code PIPELINE_HOME}, else the first folder above the working directory that holds
 *       {@code toolkit/node/package.json}.</li>
 *   <li>It listens on 127.0.0.1 only ({@code toolkit/node/loopback.js}, preloaded, pins its sockets there), on a
 *       plain HTTP port, {@link #endpoint()}, and a TLS port that nobody uses; both free ports unless a plain
 *       port is given.</li>
 *   <li>Nothing is persisted: every start is an empty server. Its log goes to the given file.</li>
 * </ul>
 *
 * <pre>{@code
 * try (LocalKinesis kinesis = LocalKinesis.start("us-east-1", Path.of("target/kinesis-local.log"))) {
 *     kinesis.createStream("streaming-0a1b2c3d4e5f-pin", 2);
 *     try (KinesisClient client = kinesis.client()) { ... }
 * }
 * }</pre>
 */
public final class LocalKinesis implements AutoCloseable {
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STREAM_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);
    /** Free ports are found, then handed to the server: another process may take one in between; try again then. */
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final URI endpoint;
    private final String region;
    private final Path log;
    private final Thread stopOnExit;

    private LocalKinesis(Process process, URI endpoint, String region, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.region = region;
        this.log = log;
        this.stopOnExit = new Thread(this::stop, "local-kinesis-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** Starts a server on free loopback ports and waits until it answers; its streams live in {@code region}. */
    public static LocalKinesis start(String region, Path log) {
        return start(region, 0, log);
    }

    /** Starts a server whose plain port is {@code plainPort} (0: a free one), e.g. the port of a configured endpoint. */
    public static LocalKinesis start(String region, int plainPort, Path log) {
        Path home = home();
        Path node = home.resolve("toolkit/node");
        Path main = node.resolve("node_modules/kinesis-local/main.js");
        if (!Files.isRegularFile(main)) {
            throw new IllegalStateException("kinesis-local is not installed in " + node
                    + ": run `npm ci --prefix toolkit/node` in " + home);
        }
        RuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int plain = plainPort == 0 ? Loopback.freePort() : plainPort;
            int tls = Loopback.freePort();
            Process process = launch(node, main, plain, tls, log, region);
            LocalKinesis kinesis = new LocalKinesis(process, URI.create("http://127.0.0.1:" + plain), region, log);
            try {
                kinesis.awaitAnswer();
                return kinesis;
            } catch (RuntimeException e) {
                boolean exited = !process.isAlive();
                kinesis.close();
                last = e;
                if (plainPort != 0 || !exited) {
                    break;  // a given port, or a server that runs but does not answer: another try will not help
                }
            }
        }
        throw last;
    }

    /** The plain HTTP endpoint, e.g. {@code http://127.0.0.1:41234}: what {@code kinesis.endpoint} is set to. */
    public URI endpoint() {
        return endpoint;
    }

    public String region() {
        return region;
    }

    /** A new client of this server; the caller closes it. */
    public KinesisClient client() {
        return client(endpoint, region);
    }

    /**
     * A client of a local Kinesis-compatible server at {@code endpoint}. The credentials are dummies, not
     * secrets: a local server wants a signed request but checks no signature. The SDK does not retry: the
     * emulator's sinks retry themselves, with backoff and counts, and SDK retries underneath would multiply the
     * tries and hide them from the counts.
     */
    public static KinesisClient client(URI endpoint, String region) {
        return builder(endpoint, region)
                .httpClientBuilder(ApacheHttpClient.builder())
                // RetryPolicy: what both SDK versions on the classpath have (see toolkit/pom.xml)
                .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none()))
                .build();
    }

    private static KinesisClientBuilder builder(URI endpoint, String region) {
        return KinesisClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
    }

    /** Creates a stream of {@code shards} shards and waits until it is ACTIVE. */
    public void createStream(String name, int shards) {
        try (KinesisClient client = client()) {
            underRateLimit(() -> client.createStream(request -> request.streamName(name).shardCount(shards)));
            long deadline = System.nanoTime() + STREAM_TIMEOUT.toNanos();
            while (underRateLimit(() -> client.describeStreamSummary(request -> request.streamName(name)))
                    .streamDescriptionSummary().streamStatus() != StreamStatus.ACTIVE) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("stream " + name + " not ACTIVE after " + STREAM_TIMEOUT.toSeconds()
                            + " s (kinesis-local at " + endpoint + ", log " + log + ")");
                }
                sleep(POLL);
            }
        }
    }

    /**
     * Calls a control operation, which kinesis-local rate-limits as AWS does (LimitExceededException, e.g. five
     * CreateStream a second), again after a pause until it is let through.
     */
    private static <T> T underRateLimit(Supplier<T> call) {
        long deadline = System.nanoTime() + STREAM_TIMEOUT.toNanos();
        while (true) {
            try {
                return call.get();
            } catch (LimitExceededException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(POLL.multipliedBy(4));
            }
        }
    }

    /** Stops the server and anything it started. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs (or ran) stop() anyway
        }
    }

    private void stop() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Process launch(Path node, Path main, int plainPort, int tlsPort, Path log, String region) {
        try {
            Path logFile = log.toAbsolutePath();
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder("node", "--require", node.resolve("loopback.js").toString(),
                    main.toString())
                    // "data/" (were persistence on) and anything else it writes stays beside the log
                    .directory(logFile.getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            Map<String, String> env = builder.environment();
            env.put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(plainPort));
            env.put("KINESIS_MOCK_TLS_PORT", Integer.toString(tlsPort));
            // the self-signed certificate of its TLS port; looked for in the working directory otherwise
            env.put("KINESIS_MOCK_CERT_PATH", main.resolveSibling("server.json").toString());
            env.put("AWS_REGION", region);
            // an empty server each time: no data file read or written
            env.put("SHOULD_PERSIST_DATA", "false");
            env.put("LOAD_DATA_IF_EXISTS", "false");
            // INFO: its start (ports, settings), bad requests and errors; requests themselves only from DEBUG on
            env.put("LOG_LEVEL", "INFO");
            env.put("ROOT_LOG_LEVEL", "ERROR");
            env.remove("INITIALIZE_STREAMS");
            Process process = builder.start();
            process.getOutputStream().close();  // it reads nothing
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start kinesis-local with `node` (Node 18+ on the PATH?): "
                    + e.getMessage(), e);
        }
    }

    /** Waits until the server lists streams, or fails with the log's last lines if it died or never answered. */
    private void awaitAnswer() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        try (KinesisClient client = builder(endpoint, region)
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(1)))
                // one quick try each poll: this loop is the retry
                .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none()).apiCallTimeout(Duration.ofSeconds(2)))
                .build()) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("kinesis-local exited (code " + process.exitValue() + ") at start: "
                            + tail());
                }
                try {
                    client.listStreams();
                    return;
                } catch (SdkException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("kinesis-local did not answer at " + endpoint + " within "
                                + STARTUP_TIMEOUT.toSeconds() + " s: " + e.getMessage() + "; " + tail(), e);
                    }
                }
                sleep(POLL);
            }
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "last lines of " + log + ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "see " + log;
        }
    }

    private static Path home() {
        String configured = System.getenv("PIPELINE_HOME");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path folder = start; folder != null; folder = folder.getParent()) {
            if (Files.isRegularFile(folder.resolve("toolkit/node/package.json"))) {
                return folder;
            }
        }
        throw new IllegalStateException("cannot find the pipeline's folder (toolkit/node/package.json) above " + start
                + ": set PIPELINE_HOME");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for kinesis-local", e);
        }
    }
}
