package io.pinpipeline.toolkit.commands;

import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.toolkit.cli.Options;
import io.pinpipeline.toolkit.cli.UsageException;
import io.pinpipeline.toolkit.emulator.Emulator;
import io.pinpipeline.toolkit.emulator.JdbcPostSource;
import io.pinpipeline.toolkit.emulator.PostGenerator;
import io.pinpipeline.toolkit.emulator.PostSource;
import io.pinpipeline.toolkit.emulator.Sinks;
import io.pinpipeline.toolkit.local.KafkaPath;
import io.pinpipeline.toolkit.local.KinesisProxyHandler;
import io.pinpipeline.toolkit.local.LocalGateway;
import io.pinpipeline.toolkit.local.LocalServers;
import io.pinpipeline.toolkit.settings.ToolkitSettings;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * {@code ./pipeline emulate}: posts from the generator or the source tables ({@code --source jdbc:...}) through one
 * sink, at {@code --rate} posts a second if given. Every sink takes the same path: reach its server (the {@code --url}
 * given, else a local one brought up for the run), open it with {@link Sinks#open}, send, print one line.
 */
public final class EmulateCommand implements Command {
    @Override
    public String name() {
        return "emulate";
    }

    @Override
    public String usage() {
        return """
                  emulate  --posts N [--seed S] [--date D] [--sink landing|kafka-rest|kinesis|kinesis-api]
                           [--url URL] [--rate POSTS_PER_S] [--source jdbc:URL]
                                                               send posts; kafka-rest without --url brings up the local
                                                               broker and gateway for the run
                """;
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Options options = Options.parse(args, "posts", "seed", "sink", "url", "rate", "source");
        ToolkitSettings settings = options.settings();
        LocalDate day = options.dayOrToday();
        int posts = options.positiveInt("posts", 10_000);
        OptionalDouble rate = options.positiveNumber("rate");
        String sink = options.option("sink", Sinks.LANDING);
        Optional<URI> url = options.url("url");
        PostSource source = source(options, day);
        try (Destination destination = reach(sink, url, options, settings, day)) {
            Emulator.Summary sent = Emulation.sendAll(Sinks.open(sink, settings.jobs().prefix(), destination.target()), source,
                    posts, rate);
            out.println(destination.line().apply(sent));
        }
    }

    /**
     * Where a run's sink sends, the line that says so, and what was brought up for the run, closed after it (last
     * opened, first closed).
     */
    private record Destination(Sinks.Target target, Function<Emulator.Summary, String> line, List<AutoCloseable> opened)
            implements AutoCloseable {
        static Destination at(URI url, AutoCloseable... opened) {
            return new Destination(new Sinks.Http(url), sent -> Emulation.sentLine(sent, url), List.of(opened));
        }

        @Override
        public void close() {
            List<AutoCloseable> lastFirst = new ArrayList<>(opened);
            java.util.Collections.reverse(lastFirst);
            RuntimeException failure = null;
            for (AutoCloseable each : lastFirst) {
                try {
                    each.close();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** The sink's server: the URL given, else (kafka-rest, kinesis-api) a local one for this run. */
    private static Destination reach(String sink, Optional<URI> url, Options options, ToolkitSettings toolkit,
                                     LocalDate day) {
        Settings settings = toolkit.jobs();
        switch (sink) {
            case Sinks.LANDING -> {
                if (url.isPresent()) {
                    throw new UsageException("--sink landing writes files: --url does not apply");
                }
                long seed = options.seed();
                return new Destination(Emulation.landingZone(settings, seed, day),
                        sent -> Emulation.landingLine(sent, settings, seed, day), List.of());
            }
            case Sinks.KAFKA_REST -> {
                if (url.isPresent()) {
                    return Destination.at(url.get());
                }
                // No URL: the local broker and gateway, for this run, on the given day's clock (else now).
                Clock clock = options.args().date().isPresent() ? noonOf(day) : Clock.systemUTC();
                KafkaPath kafka = KafkaPath.open(toolkit, 0, clock, Map.of());
                return Destination.at(kafka.gatewayUrl(), kafka);
            }
            case Sinks.KINESIS -> {
                if (url.isPresent()) {
                    throw new UsageException("--sink kinesis sends to kinesis.endpoint (--set kinesis.endpoint=URL), not --url");
                }
                KinesisClient client = LocalServers.kinesisClient(settings);
                return new Destination(new Sinks.Kinesis(client),
                        sent -> Emulation.sentLine(sent, LocalServers.kinesisTarget(settings)), List.of(client));
            }
            case Sinks.KINESIS_API -> {
                if (url.isPresent()) {
                    return Destination.at(url.get());
                }
                // No URL: the local gateway's Kinesis proxy route, in front of kinesis.endpoint, for this run.
                KinesisClient client = LocalServers.kinesisClient(settings);
                try {
                    LocalGateway gateway = LocalGateway.start(0, Map.of("/streams/", new KinesisProxyHandler(client)));
                    return Destination.at(gateway.url(), client, gateway);
                } catch (RuntimeException e) {
                    client.close();
                    throw e;
                }
            }
            default -> throw new UsageException("--sink: '" + sink + "' is not one of " + String.join(", ", Sinks.NAMES));
        }
    }

    /** The posts' source: the generator, or the three source tables over JDBC ({@code --source jdbc:...}). */
    private static PostSource source(Options options, LocalDate day) {
        String source = options.option("source", "generator");
        if (source.equals("generator")) {
            return new PostGenerator(options.seed(), day);
        }
        if (source.startsWith("jdbc:")) {
            // User and password from the URL, else PIPELINE_JDBC_USER / PIPELINE_JDBC_PASSWORD: never from a file.
            return new JdbcPostSource(source, JdbcPostSource.credentialsFrom(System.getenv()), options.seed());
        }
        throw new UsageException("--source: '" + source + "' is not generator or a jdbc: URL");
    }

    /** A clock stopped at noon UTC of the day: the gateway stamps a past day's records with that day. */
    static Clock noonOf(LocalDate day) {
        return Clock.fixed(day.atTime(LocalTime.NOON).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
    }
}
