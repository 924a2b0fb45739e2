package io.pinpipeline.toolkit.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real Kafka broker (KRaft, broker and controller in one) on loopback, run as its own process from the
 * toolkit's classpath, with its data under a folder that outlives it: offsets keep counting across runs, so
 * KafkaToLanding's checkpoint and the landing files' names stay valid from one demo to the next.
 *
 * <p>{@link #startIfNeeded} first looks for a broker already listening at the address (a broker left running by
 * {@code ./pipeline kafka}, or the user's own) and uses it; only a broker it started is stopped by {@link #close}.
 */
public final class LocalKafkaBroker implements AutoCloseable {
    /** The local cluster's fixed id: the data folder is formatted once and reused. */
    private static final String CLUSTER_ID = "cGlwZWxpbmVsb2NhbDAx1w";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final String bootstrapServers;
    private final Process process;

    private LocalKafkaBroker(String bootstrapServers, Process process) {
        this.bootstrapServers = bootstrapServers;
        this.process = process;
    }

    /**
     * The broker at {@code host:port}: the one already listening there, or a new process with its data in
     * {@code dataDir} and its log in {@code dataDir/broker.log}.
     */
    public static LocalKafkaBroker startIfNeeded(String bootstrapServers, Path dataDir) {
        InetSocketAddress address = address(bootstrapServers);
        if (Loopback.listening(address)) {
            return new LocalKafkaBroker(bootstrapServers, null);
        }
        if (!address.getAddress().isLoopbackAddress()) {
            throw new IllegalStateException("no Kafka broker at " + bootstrapServers
                    + ", and a local one is only started on a loopback address");
        }
        try {
            Files.createDirectories(dataDir);
            Path config = writeConfig(dataDir, address);
            Path log = dataDir.resolve("broker.log");
            run(List.of("kafka.tools.StorageTool", "format", "--cluster-id", CLUSTER_ID, "--config", config.toString(),
                    "--ignore-formatted"), log).waitFor(60, TimeUnit.SECONDS);
            Process broker = run(List.of("kafka.Kafka", config.toString()), log);
            LocalKafkaBroker started = new LocalKafkaBroker(bootstrapServers, broker);
            started.awaitReady(address, log);
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a local Kafka broker in " + dataDir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the local Kafka broker", e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Whether this handle started the broker (and so stops it on close). */
    public boolean started() {
        return process != null;
    }

    /** Creates the topics that do not exist yet, with one partition each (one broker: replication 1). */
    public void ensureTopics(Set<String> topics) {
        ensureTopics(bootstrapServers, topics);
    }

    /** As {@link #ensureTopics(Set)}, for any broker. */
    public static void ensureTopics(String bootstrapServers, Set<String> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream().filter(topic -> !existing.contains(topic))
                    .map(topic -> new NewTopic(topic, 1, (short) 1)).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
            awaitLeaders(admin, topics);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics " + topics + " at " + bootstrapServers
                        + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /**
     * Waits until every partition of the topics has a leader: a producer that writes to a topic the moment it is
     * created gets NOT_LEADER_OR_FOLLOWER, and an idempotent producer then loops on out-of-order sequence errors.
     */
    public static void awaitLeaders(Admin admin, Set<String> topics) throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!admin.describeTopics(topics).allTopicNames().get().values().stream()
                .flatMap(topic -> topic.partitions().stream())
                .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no leader for " + topics + " after " + START_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }

    /** Blocks until the broker process ends (for {@code ./pipeline kafka}, which runs it in the foreground). */
    public void awaitExit() throws InterruptedException {
        if (process != null) {
            process.waitFor();
        }
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        // SIGTERM: the broker shuts down cleanly and its log stays consistent for the next start.
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void awaitReady(InetSocketAddress address, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Loopback.listening(address)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the local Kafka broker stopped while starting; see " + log);
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("the local Kafka broker did not start in " + START_TIMEOUT.toSeconds()
                        + " s; see " + log);
            }
            Thread.sleep(200);
        }
    }

    private static Path writeConfig(Path dataDir, InetSocketAddress address) throws IOException {
        String host = address.getHostString();
        int controllerPort = Loopback.freePort();
        Properties config = new Properties();
        config.setProperty("process.roles", "broker,controller");
        config.setProperty("node.id", "1");
        config.setProperty("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        config.setProperty("listeners", "PLAINTEXT://" + host + ":" + address.getPort() + ",CONTROLLER://" + host + ":"
                + controllerPort);
        config.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + address.getPort());
        config.setProperty("controller.listener.names", "CONTROLLER");
        config.setProperty("inter.broker.listener.name", "PLAINTEXT");
        config.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.setProperty("log.dirs", dataDir.resolve("data").toAbsolutePath().toString());
        // One broker: internal topics cannot have more than one replica.
        config.setProperty("offsets.topic.replication.factor", "1");
        config.setProperty("transaction.state.log.replication.factor", "1");
        config.setProperty("transaction.state.log.min.isr", "1");
        config.setProperty("group.initial.rebalance.delay.ms", "0");
        // A demo of a past day stamps its records with that day: time-based retention would delete them at once.
        // Keep everything; `rm -r local-data` resets the broker together with the checkpoints that point into it.
        config.setProperty("log.retention.ms", "-1");
        // Topics are made on purpose (ensureTopics), as on MSK: a typo in a topic name is an error, not a new topic.
        config.setProperty("auto.create.topics.enable", "false");
        Path file = dataDir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(file)) {
            config.store(out, "the local Kafka broker of ./pipeline (written on each start)");
        }
        return file;
    }

    /** A JVM on the toolkit's own classpath (it holds Kafka), its output appended to the log. */
    private static Process run(List<String> mainAndArgs, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path")));
        command.addAll(mainAndArgs);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    private static InetSocketAddress address(String bootstrapServers) {
        String first = bootstrapServers.split(",")[0].trim();
        int colon = first.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("kafka.bootstrap-servers: '" + bootstrapServers + "' is not host:port");
        }
        return new InetSocketAddress(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)));
    }

}
