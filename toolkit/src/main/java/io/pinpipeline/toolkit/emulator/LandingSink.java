package io.pinpipeline.toolkit.emulator;

import io.pinpipeline.jobs.records.RecordKind;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes posts into the landing zone the way the Kafka S3 sink does (SPEC 3):
 * {@code <landing>/topics/<prefix>.<kind>/dt=<date>/<prefix>.<kind>+<seed>+<startOffset>.json}, one JSON object
 * a line, UTF-8, {@code \n} line ends, a new file every 100,000 records, where startOffset is the 10-digit,
 * zero-padded position of the file's first record in the run. The seed stands where the sink puts the
 * Kafka partition.
 *
 * <p>A run owns the files of its prefix, seed and date: writing again replaces exactly those (files a
 * longer earlier run left beyond this run's last one are deleted), so a re-run is idempotent. Each file is
 * written under a hidden temporary name and moved into place, so a reader never sees half a file.
 *
 * <p>As a {@link PostSink}, the emulator's sink {@code landing}: {@link #send} appends, {@link #finish} puts the last
 * files in place and replaces the earlier run's, {@link #close} drops what an unfinished run was writing.
 *
 * <pre>{@code new LandingSink(root, "0a1b2c3d4e5f", 42, date).write(new PostGenerator(42, date).posts(1_000));}</pre>
 */
public final class LandingSink implements PostSink {
    /** Records per file, as the sink's {@code flush.size}. */
    public static final int RECORDS_PER_FILE = 100_000;

    private static final Pattern TOPIC_PREFIX = Pattern.compile("[A-Za-z0-9._-]+");
    private static final int BUFFER_BYTES = 1 << 20;

    private final Path landingRoot;
    private final String prefix;
    private final long seed;
    private final LocalDate date;
    private final int recordsPerFile;
    private final Map<RecordKind, RotatingFile> outputs = new EnumMap<>(RecordKind.class);
    private long postsWritten;
    /** Set by {@link #finish}: the run's output is whole. */
    private Summary summary;

    public LandingSink(Path landingRoot, String prefix, long seed, LocalDate date) {
        this(landingRoot, prefix, seed, date, RECORDS_PER_FILE);
    }

    /** With another rotation size, so that tests see rotation with a few records. */
    LandingSink(Path landingRoot, String prefix, long seed, LocalDate date, int recordsPerFile) {
        if (prefix == null || !TOPIC_PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("prefix: '" + prefix
                    + "' is not a Kafka topic prefix (letters, digits, '.', '_' and '-')");
        }
        if (recordsPerFile <= 0) {
            throw new IllegalArgumentException("records per file must be positive: " + recordsPerFile);
        }
        this.landingRoot = landingRoot;
        this.prefix = prefix;
        this.seed = seed;
        this.date = date;
        this.recordsPerFile = recordsPerFile;
    }

    /** What a run wrote: the number of posts (each one line of every kind) and the files, by kind then offset. */
    public record Summary(long posts, List<Path> files) {
        public Summary {
            files = List.copyOf(files);
        }

        @Override
        public String toString() {
            return "landing: " + posts + " posts, " + posts * RecordKind.values().length + " records in "
                    + files.size() + " files";
        }
    }

    /** The folder of one kind for this run's date: {@code <landing>/topics/<prefix>.<kind>/dt=<date>}. */
    public Path folder(RecordKind kind) {
        return landingRoot.resolve("topics").resolve(kind.topic(prefix)).resolve("dt=" + date);
    }

    /** The file name the S3 sink gives a file: {@code <topic>+<partition>+<startOffset, 10 digits>.json}. */
    static String fileName(String topic, long partition, long startOffset) {
        return String.format("%s+%d+%010d.json", topic, partition, startOffset);
    }

    /** Writes every post, the three kinds in one pass, and replaces what an earlier run of the same seed and date wrote. */
    public Summary write(Stream<Post> posts) {
        try {
            Iterator<Post> iterator = posts.iterator();
            while (iterator.hasNext()) {
                append(iterator.next());
            }
            finish();
            return summary();
        } finally {
            close();
        }
    }

    /** Appends the posts' lines to the current files, a new file every {@code recordsPerFile} lines. */
    @Override
    public void send(List<Post> posts) {
        for (Post post : posts) {
            append(post);
        }
    }

    /** Records written so far; files put no record off for later, so none is retried or failed. */
    @Override
    public SinkCounts counts() {
        return new SinkCounts(postsWritten * RecordKind.values().length, 0, 0);
    }

    /** A file takes any number of posts: the batch only sets how often the emulator's pace and progress are seen to. */
    @Override
    public int batchSize() {
        return 1_000;
    }

    /**
     * Moves the last files into place and deletes the files of this run's name that an earlier, longer run left; only
     * then is the run's output whole. A run that fails before this leaves the files it had finished, none half written.
     */
    @Override
    public void finish() {
        if (summary != null) {
            return;
        }
        try {
            List<Path> files = new ArrayList<>();
            for (RotatingFile output : outputs().values()) {
                output.finish();
                files.addAll(output.written);
            }
            summary = new Summary(postsWritten, files);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** What the run wrote, once {@link #finish} has put the last files in place. */
    public Summary summary() {
        if (summary == null) {
            throw new IllegalStateException("the landing sink's run is not finished");
        }
        return summary;
    }

    /** Drops the file being written unless the run finished, so that only whole files stay. */
    @Override
    public void close() {
        outputs.values().forEach(RotatingFile::abandon);
    }

    private void append(Post post) {
        if (summary != null) {
            throw new IllegalStateException("the landing sink's run is finished");
        }
        try {
            Map<RecordKind, RotatingFile> files = outputs();
            files.get(RecordKind.PIN).append(post.pin());
            files.get(RecordKind.GEO).append(post.geo());
            files.get(RecordKind.USER).append(post.user());
            postsWritten++;
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** The three kinds' files, opened with the run's first post (or at its end, for a run of none). */
    private Map<RecordKind, RotatingFile> outputs() throws IOException {
        if (outputs.isEmpty()) {
            for (RecordKind kind : RecordKind.values()) {
                outputs.put(kind, new RotatingFile(kind));
            }
        }
        return outputs;
    }

    private UncheckedIOException failure(IOException e) {
        return new UncheckedIOException("writing the landing zone under " + landingRoot, e);
    }

    /** One kind's output: files of {@code recordsPerFile} lines, each written to a temporary name, then moved. */
    private final class RotatingFile {
        private final Path folder;
        private final String topic;
        private final List<Path> written = new ArrayList<>();
        private OutputStream out;
        private Path target;
        private Path temporary;
        private long records;

        RotatingFile(RecordKind kind) throws IOException {
            this.topic = kind.topic(prefix);
            this.folder = Files.createDirectories(folder(kind));
        }

        void append(String line) throws IOException {
            if (records % recordsPerFile == 0) {
                close();
                String name = fileName(topic, seed, records);
                target = folder.resolve(name);
                temporary = folder.resolve("." + name + ".tmp");
                out = new BufferedOutputStream(Files.newOutputStream(temporary), BUFFER_BYTES);
            }
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
            records++;
        }

        /** Moves the last file into place and deletes the files of this run's name an earlier run left over. */
        void finish() throws IOException {
            close();
            Set<Path> current = Set.copyOf(written);
            try (DirectoryStream<Path> owned = Files.newDirectoryStream(folder, topic + "+" + seed + "+*.json")) {
                for (Path file : owned) {
                    if (!current.contains(file)) {
                        Files.delete(file);
                    }
                }
            }
        }

        private void close() throws IOException {
            if (out == null) {
                return;
            }
            out.close();
            out = null;
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            written.add(target);
            temporary = null;
        }

        /** After a failure: drops the file being written, so only whole files stay. */
        void abandon() {
            try {
                if (out != null) {
                    out.close();
                }
                if (temporary != null) {
                    Files.deleteIfExists(temporary);
                }
            } catch (IOException e) {
                // Already failing: the first error is the one to report.
            }
        }
    }
}
