package io.pinpipeline.toolkit.emulator;

import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The emulator's sinks by their {@code --sink} names, and the one place each is made. The caller reaches the server
 * (a URL given, a local server brought up for the run) and says where it is; the sink sends the prefix's records there.
 *
 * <pre>{@code try (PostSink sink = Sinks.open(Sinks.KAFKA_REST, prefix, new Sinks.Http(gatewayUrl))) { ... }}</pre>
 */
public final class Sinks {
    /** Files in the landing zone, as the Kafka S3 sink writes them ({@link LandingSink}). */
    public static final String LANDING = "landing";
    /** The Kafka REST proxy's {@code POST /topics/<topic>} ({@link KafkaRestSink}). */
    public static final String KAFKA_REST = "kafka-rest";
    /** Kinesis {@code PutRecords} through the SDK ({@link KinesisSink}). */
    public static final String KINESIS = "kinesis";
    /** The API Gateway's Kinesis proxy, a record a request ({@link KinesisApiSink}). */
    public static final String KINESIS_API = "kinesis-api";
    /** Every sink, in the order messages list them. */
    public static final List<String> NAMES = List.of(LANDING, KAFKA_REST, KINESIS, KINESIS_API);

    private Sinks() {
    }

    /** Where a sink sends: what its name needs, one of the three. */
    public sealed interface Target permits LandingZone, Http, Kinesis {
    }

    /** The landing zone's root, and the run's seed (where the S3 sink puts the partition) and date. */
    public record LandingZone(Path root, long seed, LocalDate day) implements Target {
    }

    /** The base URL of the Kafka REST proxy or of the API Gateway's Kinesis proxy. */
    public record Http(URI url) implements Target {
    }

    /** A client of the Kinesis API (AWS's, or the local server's); the caller closes it. */
    public record Kinesis(KinesisClient client) implements Target {
    }

    /**
     * The sink of that name, sending the records of {@code prefix} to {@code target}, retrying with {@link Backoff#DEFAULT}.
     *
     * @throws IllegalArgumentException for a name not in {@link #NAMES}, or a target of the wrong kind for it
     */
    public static PostSink open(String name, String prefix, Target target) {
        return switch (name) {
            case LANDING -> {
                LandingZone zone = target(name, target, LandingZone.class);
                yield new LandingSink(zone.root(), prefix, zone.seed(), zone.day());
            }
            case KAFKA_REST -> new KafkaRestSink(target(name, target, Http.class).url(), prefix, Backoff.DEFAULT);
            case KINESIS -> new KinesisSink(target(name, target, Kinesis.class).client(), prefix, Backoff.DEFAULT);
            case KINESIS_API -> new KinesisApiSink(target(name, target, Http.class).url(), prefix, Backoff.DEFAULT);
            default -> throw new IllegalArgumentException("no sink '" + name + "' (sinks: " + String.join(", ", NAMES) + ")");
        };
    }

    private static <T extends Target> T target(String name, Target target, Class<T> kind) {
        if (!kind.isInstance(target)) {
            throw new IllegalArgumentException("the " + name + " sink sends to a " + kind.getSimpleName() + " target, not "
                    + target);
        }
        return kind.cast(target);
    }
}
