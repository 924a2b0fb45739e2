package io.pinpipeline.toolkit.cli;

import io.pinpipeline.jobs.settings.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A folder that a command makes for itself and starts afresh each time (bench's lake, airflow-demo's workspace, the
 * streaming demo's checkpoints): made with a marker file in it, and emptied again only when the marker is there. A
 * folder at that place without the marker (one the user made, or one that settings point at by mistake) is never
 * deleted: the command stops with one line naming it.
 */
final class WorkFolder {
    static final String MARKER = ".pipeline-work-folder";

    private WorkFolder() {
    }

    /**
     * The folder, empty but for its marker: made if missing, emptied if {@code command} (or another of ours) made it.
     *
     * @throws UsageException when the folder exists without the marker; nothing is deleted then
     */
    static Path fresh(Path folder, String command) {
        Path marker = folder.resolve(MARKER);
        if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(marker)) {
            throw new UsageException(command + ": " + folder + " exists and was not made by ./pipeline (no " + MARKER
                    + " in it): not deleting it; move it away or point the settings elsewhere");
        }
        try {
            deleteTree(folder);
            Files.createDirectories(folder);
            Files.writeString(marker, "made by ./pipeline " + command + ", which deletes this folder and makes it anew "
                    + "each time it runs\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + folder + " afresh", e);
        }
        return folder;
    }

    /** {@code <lake.root>/../<name>}: beside the lake, where the benchmarks keep their own. */
    static Path besideLake(Settings settings, String name) {
        return Path.of(settings.lakeRoot()).toAbsolutePath().getParent().resolve(name);
    }

    /** Deletes a tree, without following links (a link inside goes, not what it points at). */
    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
