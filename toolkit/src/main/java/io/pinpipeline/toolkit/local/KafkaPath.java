package io.pinpipeline.toolkit.local;

import com.sun.net.httpserver.HttpHandler;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.toolkit.settings.ToolkitSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The local Kafka path of {@code ./pipeline}, brought up on demand: the broker at {@code kafka.bootstrap-servers}
 * (started as a process if none listens there), the three topics, and the gateway (the REST proxy stand-in, failing
 * records on purpose as {@code local.kafka-rest-faults} says) in this JVM. Closing it stops what it started, nothing
 * else.
 */
public final class KafkaPath implements AutoCloseable {
    private final LocalKafkaBroker broker;
    private final Producer<String, String> producer;
    private final LocalGateway gateway;

    private KafkaPath(LocalKafkaBroker broker, Producer<String, String> producer, LocalGateway gateway) {
        this.broker = broker;
        this.producer = producer;
        this.gateway = gateway;
    }

    /**
     * Opens the path; the gateway listens on {@code port} (0: any free one) and stamps records with {@code clock}
     * (a demo of a past day runs it on that day), and mounts any {@code extraRoutes} beside {@code /topics/}.
     */
    public static KafkaPath open(ToolkitSettings toolkit, int port, Clock clock, Map<String, HttpHandler> extraRoutes) {
        Settings settings = toolkit.jobs();
        LocalKafkaBroker broker = LocalKafkaBroker.startIfNeeded(settings.kafka().bootstrapServers(),
                Path.of(toolkit.local().kafkaData()));
        Producer<String, String> producer = null;
        try {
            Set<String> topics = Arrays.stream(RecordKind.values()).map(kind -> kind.topic(settings.prefix()))
                    .collect(Collectors.toSet());
            broker.ensureTopics(topics);
            producer = producer(settings.kafka().bootstrapServers());
            Map<String, HttpHandler> routes = new LinkedHashMap<>(extraRoutes);
            routes.put("/topics/", new KafkaRestHandler(producer, topics, clock, faults(toolkit)));
            return new KafkaPath(broker, producer, LocalGateway.start(port, routes));
        } catch (RuntimeException e) {
            if (producer != null) {
                producer.close();
            }
            broker.close();
            throw e;
        }
    }

    /**
     * The records the gateway fails on purpose, {@code local.kafka-rest-faults}; one seed for every run, so that a
     * client's run meets the same failures each time.
     */
    public static KafkaRestHandler.Faults faults(ToolkitSettings settings) {
        ToolkitSettings.KafkaRestFaults faults = settings.local().kafkaRestFaults();
        return new KafkaRestHandler.Faults(faults.retriable(), faults.notRetriable(), 0);
    }

    /** What the REST proxy's producer does: every record acknowledged by the broker, no duplicates from its retries. */
    private static Producer<String, String> producer(String bootstrapServers) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    public URI gatewayUrl() {
        return gateway.url();
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public boolean startedBroker() {
        return broker.started();
    }

    /** For {@code ./pipeline serve}: waits until the broker ends (or forever, for a broker this did not start). */
    public void awaitBrokerExit() throws InterruptedException {
        if (broker.started()) {
            broker.awaitExit();
        } else {
            Thread.currentThread().join();
        }
    }

    @Override
    public void close() {
        gateway.close();
        producer.close();
        broker.close();
    }
}
