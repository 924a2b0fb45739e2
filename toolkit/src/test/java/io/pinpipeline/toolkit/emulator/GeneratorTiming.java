package io.pinpipeline.toolkit.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Throwaway timing, not a test: generates posts into the landing sink and prints the seconds taken.
 * {@code java -cp <test classpath> io.pinpipeline.toolkit.emulator.GeneratorTiming [posts] [landing dir]}
 * (default 1,000,000 posts into a temporary folder, deleted afterwards).
 */
public final class GeneratorTiming {
    private GeneratorTiming() {
    }

    public static void main(String[] args) throws IOException {
        int posts = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        boolean temporary = args.length < 2;
        Path root = temporary ? Files.createTempDirectory("landing-timing") : Path.of(args[1]);
        LocalDate date = LocalDate.of(2024, 5, 1);
        try {
            long started = System.nanoTime();
            new PostGenerator(1, date).post(0);  // loads the capture, so the timing below is the steady work
            long loaded = System.nanoTime();
            LandingSink.Summary summary = new LandingSink(root, "timing", 1, date).write(new PostGenerator(1, date).posts(posts));
            long done = System.nanoTime();
            long bytes;
            try (Stream<Path> files = Files.walk(root)) {
                bytes = files.filter(Files::isRegularFile).mapToLong(GeneratorTiming::size).sum();
            }
            System.out.printf("capture loaded in %.2f s%n", (loaded - started) / 1e9);
            System.out.printf("%s, %,d bytes, in %.2f s (%.0f posts/s)%n", summary, bytes, (done - loaded) / 1e9,
                    posts / ((done - loaded) / 1e9));
        } finally {
            if (temporary) {
                try (Stream<Path> files = Files.walk(root)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
