package io.pinpipeline.toolkit.commands;

import io.pinpipeline.toolkit.deploy.Deploy;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository that deploy and airflow-demo read: the built job jar, dags/, mwaa-requirements.txt. */
public final class Repository {
    private Repository() {
    }

    /**
     * PIPELINE_HOME, which the launcher sets, else the working folder or the nearest one above it that holds
     * mwaa-requirements.txt (a test runs in toolkit/).
     */
    public static Path root() {
        String home = System.getenv("PIPELINE_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home).toAbsolutePath();
        }
        for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
            if (Files.isRegularFile(folder.resolve(Deploy.REQUIREMENTS))) {
                return folder;
            }
        }
        return Path.of("").toAbsolutePath();
    }
}
