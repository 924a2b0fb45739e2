package io.pinpipeline.toolkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The landing sink as the emulator drives every sink: from {@link Sinks#open}, batch by batch, then finished. */
class LandingSinkAsPostSinkTest {
    private static final LocalDate DATE = LocalDate.of(2024, 5, 1);
    private static final String PREFIX = "0a1b2c3d4e5f";
    private static final Path PINS = Path.of("topics/0a1b2c3d4e5f.pin/dt=2024-05-01/0a1b2c3d4e5f.pin+7+0000000000.json");

    @TempDir
    Path landing;

    @Test
    void anEmulatorRunWritesWhatWriteWritesAndCountsEveryRecordSent() throws IOException {
        List<Post> posts = new PostGenerator(7, DATE).posts(5).toList();
        Emulator.Summary summary;
        try (PostSink sink = Sinks.open(Sinks.LANDING, PREFIX, new Sinks.LandingZone(landing, 7, DATE))) {
            summary = new Emulator(OptionalDouble.empty(), null).run(posts.stream(), 5, sink);
        }

        assertThat(summary.posts()).isEqualTo(5);
        assertThat(summary.records()).isEqualTo(new SinkCounts(15, 0, 0));
        assertThat(Files.readAllLines(landing.resolve(PINS))).containsExactlyElementsOf(posts.stream().map(Post::pin).toList());
    }

    @Test
    void aRunThatFailsLeavesNoHalfWrittenFile() throws IOException {
        Stream<Post> failing = Stream.concat(new PostGenerator(7, DATE).posts(2), Stream.generate(() -> {
            throw new SourceException("the source went away");
        }));
        try (PostSink sink = Sinks.open(Sinks.LANDING, PREFIX, new Sinks.LandingZone(landing, 7, DATE))) {
            assertThatThrownBy(() -> new Emulator(OptionalDouble.empty(), null).run(failing, 5, sink))
                    .isInstanceOf(SourceException.class);
        }

        try (Stream<Path> left = Files.walk(landing)) {
            assertThat(left.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void aTargetOfTheWrongKindIsRefused() {
        assertThatThrownBy(() -> Sinks.open(Sinks.KAFKA_REST, PREFIX, new Sinks.LandingZone(landing, 7, DATE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the kafka-rest sink sends to a Http target, not LandingZone[");
    }
}
