package io.pinpipeline.jobs.stream.kinesis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Keeps a query's initial offset in its checkpoint ({@code <checkpoint>/sources/<n>/initial-offset.json}),
 * decided on the query's first start. Spark asks for the initial offset again on every restart, until the first
 * batch is committed; for {@code LATEST} ("from now") the answer must not move with the restart time, or a
 * replayed first batch would read other records than the first run did.
 */
final class InitialOffsetStore {
    private static final String FILE = "initial-offset.json";

    private final Path file;
    private final Configuration hadoopConf;

    InitialOffsetStore(String sourceCheckpoint, Configuration hadoopConf) {
        this.file = new Path(sourceCheckpoint, FILE);
        this.hadoopConf = hadoopConf;
    }

    /** The stored initial offset, or {@code decide}'s, stored first. */
    KinesisOffset getOrCreate(Supplier<KinesisOffset> decide) {
        try {
            FileSystem fs = file.getFileSystem(hadoopConf);
            if (!fs.exists(file)) {
                KinesisOffset decided = decide.get();
                // written aside, then renamed: a crash mid-write leaves no half file where the offset belongs
                Path temporary = new Path(file.getParent(), "." + FILE + "." + UUID.randomUUID() + ".tmp");
                try (OutputStream out = fs.create(temporary, false)) {
                    out.write(decided.json().getBytes(StandardCharsets.UTF_8));
                }
                if (fs.rename(temporary, file)) {
                    return decided;
                }
                // another start of the same query stored its answer first: that one counts
                fs.delete(temporary, false);
            }
            try (InputStream in = fs.open(file)) {
                return KinesisOffset.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the initial Kinesis offset at " + file, e);
        }
    }
}
