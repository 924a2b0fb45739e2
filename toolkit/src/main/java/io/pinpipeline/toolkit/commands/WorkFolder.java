package io.pinpipeline.toolkit.commands;

import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.toolkit.cli.UsageException;
import io.pinpipeline.toolkit.files.FileTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A folder that a command makes for itself and starts afresh each time (bench's lake, airflow-demo's workspace, the
 * streaming demo's checkpoints): made with a marker file in it, and emptied again only when the marker is there. A
 * folder at that place without the marker (one the user made, or one that settings point at by mistake) is never
 * deleted: the command stops with one line naming it.
 */
public final class WorkFolder {
    public static final String MARKER = ".pipeline-work-folder";

    private WorkFolder() {
    }

    /**
     * The folder, empty but for its marker: made if missing, emptied if {@code command} (or another of ours) made it.
     *
     * @throws UsageException when the folder exists without the marker; nothing is deleted then
     */
    public static Path fresh(Path folder, String command) {
        Path marker = folder.resolve(MARKER);
        if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(marker)) {
            throw new UsageException(command + ": " + folder + " exists and was not made by ./pipeline (no " + MARKER
                    + " in it): not deleting it; move it away or point the settings elsewhere");
        }
        try {
            FileTree.delete(folder);
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
}
