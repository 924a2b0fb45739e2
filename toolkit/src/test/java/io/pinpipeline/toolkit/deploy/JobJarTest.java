package io.pinpipeline.toolkit.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobJarTest {

    @Test
    void theNameCarriesTheVersionAndTheFirst12HexOfTheSha256(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("pinterest-jobs.jar");
        TestRepo.writeJar(path, "0.1.0", 1000, 1);
        JobJar jar = JobJar.of(path);
        String sha256 = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(path)));

        assertThat(jar.version()).isEqualTo("0.1.0");
        assertThat(jar.sha256()).isEqualTo(sha256);
        assertThat(jar.size()).isEqualTo(Files.size(path));
        assertThat(jar.fileName()).isEqualTo("pinterest-jobs-0.1.0-" + sha256.substring(0, 12) + ".jar");
        assertThat(jar.in("dbfs:/FileStore/pinterest-pipeline/jars"))
                .isEqualTo("dbfs:/FileStore/pinterest-pipeline/jars/" + jar.fileName());
        assertThat(jar.in("/Volumes/main/pinterest/artifacts/jars/"))
                .isEqualTo("/Volumes/main/pinterest/artifacts/jars/" + jar.fileName());
    }

    @Test
    void otherBytesAnotherName(@TempDir Path dir) throws IOException {
        TestRepo.writeJar(dir.resolve("a.jar"), "0.1.0-SNAPSHOT", 1000, 1);
        TestRepo.writeJar(dir.resolve("b.jar"), "0.1.0-SNAPSHOT", 1000, 2);
        assertThat(JobJar.of(dir.resolve("a.jar")).fileName()).startsWith("pinterest-jobs-0.1.0-SNAPSHOT-")
                .isNotEqualTo(JobJar.of(dir.resolve("b.jar")).fileName());
        assertThat(JobJar.fileName("0.1.0", "3f2a9c1b7d4e" + "0".repeat(52)))
                .isEqualTo("pinterest-jobs-0.1.0-3f2a9c1b7d4e.jar");
    }

    @Test
    void aJarThatMavenDidNotBuildHasNoVersion(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("x.jar");
        new java.util.jar.JarOutputStream(Files.newOutputStream(path)).close();
        assertThatThrownBy(() -> JobJar.of(path)).hasMessageContaining("has no " + JobJar.POM_PROPERTIES);
    }
}
