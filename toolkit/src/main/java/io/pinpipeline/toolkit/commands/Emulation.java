package io.pinpipeline.toolkit.commands;

import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.toolkit.emulator.Emulator;
import io.pinpipeline.toolkit.emulator.PostGenerator;
import io.pinpipeline.toolkit.emulator.PostSink;
import io.pinpipeline.toolkit.emulator.PostSource;
import io.pinpipeline.toolkit.emulator.SinkException;
import io.pinpipeline.toolkit.emulator.Sinks;
import io.pinpipeline.toolkit.emulator.SourceException;
import io.pinpipeline.toolkit.local.LocalServers;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.OptionalDouble;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Posts sent as the commands send them: emulate, the demos and the benches, every run through the {@link Emulator}
 * into a sink from {@link Sinks#open}, and the line that says what it sent.
 */
final class Emulation {
    private Emulation() {
    }

    /** A run of {@code posts} posts; a sink's or a source's failure names how far the records got. */
    static Emulator.Summary sendAll(PostSink sink, PostSource source, int posts, OptionalDouble rate) {
        try (sink; var stream = source.posts(posts)) {
            return new Emulator(rate, System.console() != null ? System.err : null).run(stream, posts, sink);
        } catch (SinkException | SourceException e) {
            throw new SinkException(e.getMessage() + " (so far: records " + sink.counts() + ")", e);
        }
    }

    /** The generator's posts of a day into the landing zone, at full speed. */
    static Emulator.Summary toLanding(Settings settings, long seed, LocalDate day, int posts, PrintStream out) {
        return toLanding(settings, new PostGenerator(seed, day), seed, day, posts, out);
    }

    /** A source's posts into the landing zone under the day's date, at full speed. */
    static Emulator.Summary toLanding(Settings settings, PostSource source, long seed, LocalDate day, int posts,
                                      PrintStream out) {
        Emulator.Summary sent = sendAll(Sinks.open(Sinks.LANDING, settings.prefix(), landingZone(settings, seed, day)),
                source, posts, OptionalDouble.empty());
        out.println(landingLine(sent, settings, seed, day));
        return sent;
    }

    /** Where the landing sink writes a run's files: the settings' landing zone, under the run's seed and date. */
    static Sinks.LandingZone landingZone(Settings settings, long seed, LocalDate day) {
        return new Sinks.LandingZone(Path.of(settings.landingRoot()), seed, day);
    }

    /** What a run into the landing zone says it did. */
    static String landingLine(Emulator.Summary sent, Settings settings, long seed, LocalDate day) {
        return String.format("emulated %d posts for %s (seed %d) into %s/topics in %.1f s", sent.posts(), day, seed,
                settings.landingRoot(), sent.seconds());
    }

    /** What a run to a server says it did, and where to. */
    static String sentLine(Emulator.Summary sent, Object target) {
        return String.format("emulated %s to %s", sent, target);
    }

    /** A day's posts through the kinesis sink into the prefix's streams. */
    static void toStreams(KinesisClient client, Settings settings, long seed, LocalDate day, int posts, PrintStream out) {
        Emulator.Summary sent = sendAll(Sinks.open(Sinks.KINESIS, settings.prefix(), new Sinks.Kinesis(client)),
                new PostGenerator(seed, day), posts, OptionalDouble.empty());
        out.printf("emulated %s to %s, the posts of %s%n", sent, LocalServers.kinesisTarget(settings), day);
    }
}
