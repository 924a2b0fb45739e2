package io.pinpipeline.jobs.testing;

import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A landing zone and a lake in a temporary folder, with the local settings pointed at them. */
public final class LocalLake {
    public static final String PREFIX = "test0a1b";

    private final Path landing;
    private final Settings settings;

    public LocalLake(Path root) {
        this(root, Map.of());
    }

    /** With more settings on top of the local ones, e.g. {@code landing.lateness-days}. */
    public LocalLake(Path root, Map<String, String> more) {
        this.landing = root.resolve("landing");
        Map<String, String> overrides = new HashMap<>(more);
        overrides.putAll(locations(root));
        this.settings = Settings.load("local", overrides);
    }

    /** The settings that put the landing zone and the lake under {@code root}: for a job run in another JVM too. */
    public static Map<String, String> locations(Path root) {
        return Map.of("prefix", PREFIX, "landing.root", root.resolve("landing").toString(),
                "lake.root", root.resolve("lake").toString());
    }

    public Settings settings() {
        return settings;
    }

    public Lake lake() {
        return new Lake(TestSpark.session(), settings);
    }

    /** Writes lines as one landing file of a kind, in the {@code dt=} layout the S3 sink writes. */
    public Path land(RecordKind kind, String date, String fileName, List<String> lines) {
        return write(landing.resolve("topics").resolve(kind.topic(PREFIX)).resolve("dt=" + date).resolve(fileName),
                String.join("\n", lines) + "\n");
    }

    /** A landing day's folder, {@code topics/<prefix>.<kind>/dt=<date>}, created (empty) if it is not there. */
    public Path dayFolder(RecordKind kind, String date) {
        Path folder = landing.resolve("topics").resolve(kind.topic(PREFIX)).resolve("dt=" + date);
        try {
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes bytes as they are as one file of a landing day (compressed files, broken encodings). */
    public Path landBytes(RecordKind kind, String date, String fileName, byte[] bytes) {
        try {
            return Files.write(dayFolder(kind, date).resolve(fileName), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the real capture of a kind (2,262 lines) into the landing zone for a date. */
    public Path landCapture(RecordKind kind, String date) {
        try (InputStream in = LocalLake.class.getResourceAsStream("/capture/" + kind.label() + ".jsonl")) {
            return write(landing.resolve("topics").resolve(kind.topic(PREFIX)).resolve("dt=" + date)
                    .resolve(kind.topic(PREFIX) + "+0+0000000000.json"), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
