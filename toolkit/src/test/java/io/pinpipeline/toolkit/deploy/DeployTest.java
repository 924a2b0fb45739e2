package io.pinpipeline.toolkit.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pinpipeline.toolkit.settings.ToolkitSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What deploy refuses before it sends anything (the hosts here are closed ports: nothing may reach them). */
class DeployTest {
    private static final Map<String, String> READY = Map.of("databricks.host", "http://127.0.0.1:9",
            "mwaa.bucket", "mwaa-bucket", "mwaa.s3-endpoint", "http://127.0.0.1:9");

    @Test
    void theDagFilesAreEverythingButTestsAndPythonCaches(@TempDir Path home) throws IOException {
        TestRepo.create(home, "0.1.0", 100, 1);
        assertThat(DagUpload.dagFiles(home.resolve("dags"))).containsExactly(TestRepo.DEPLOYED);
    }

    @Test
    void anEmptyHostOrBucketIsNamed(@TempDir Path home) throws IOException {
        TestRepo.create(home, "0.1.0", 100, 1);
        assertNotReady(ToolkitSettings.load("dev", Map.of("databricks.host", "", "mwaa.bucket", "b-1")), home, "token",
                "setting databricks.host is empty: set DATABRICKS_HOST to the workspace URL (or --set databricks.host=URL)");
        assertNotReady(ToolkitSettings.load("dev", Map.of("databricks.host", "https://dbc-1.cloud.databricks.com", "mwaa.bucket", "")),
                home, "token", "setting mwaa.bucket is empty: set PIPELINE_MWAA_BUCKET to the MWAA environment's bucket "
                        + "(or --set mwaa.bucket=NAME)");
    }

    @Test
    void aMissingJarSaysToBuildIt(@TempDir Path home) throws IOException {
        TestRepo.create(home, "0.1.0", 100, 1);
        Files.delete(home.resolve(Deploy.JAR));
        assertNotReady(ToolkitSettings.load("local", READY), home, "token",
                "no job jar at " + home.resolve(Deploy.JAR) + ": run ./pipeline build first");
    }

    @Test
    void aMissingTokenIsNamedAndNeverComesFromSettings(@TempDir Path home) throws IOException {
        TestRepo.create(home, "0.1.0", 100, 1);
        assertNotReady(ToolkitSettings.load("local", READY), home, null, "DATABRICKS_TOKEN is not set: deploy needs a "
                + "Databricks personal access token for http://127.0.0.1:9 in the environment (never in settings)");
        assertNotReady(ToolkitSettings.load("local", READY), home, " ", "DATABRICKS_TOKEN is not set: deploy needs a "
                + "Databricks personal access token for http://127.0.0.1:9 in the environment (never in settings)");
    }

    @Test
    void plainHttpToAnotherMachineIsRefusedForTheWorkspaceAndTheBucket(@TempDir Path home) throws IOException {
        TestRepo.create(home, "0.1.0", 100, 1);
        // No jar: had deploy not refused, it would stop there, before it sent anything. Nothing is looked up either:
        // the hosts are judged as written.
        Files.delete(home.resolve(Deploy.JAR));
        String inClear = " would travel in clear text: use https:// (http is for loopback only)";
        for (String host : List.of("http://dbc-1.cloud.databricks.com", "http://10.1.2.3:8089")) {
            assertNotReady(ToolkitSettings.load("dev", Map.of("databricks.host", host, "mwaa.bucket", "b-1")), home, "token",
                    "setting databricks.host: " + host + " is plain http to another machine, so the Databricks token"
                            + inClear);
        }
        assertNotReady(ToolkitSettings.load("dev", Map.of("databricks.host", "https://dbc-1.cloud.databricks.com",
                "mwaa.bucket", "b-1", "mwaa.s3-endpoint", "http://minio.internal:9000")), home, "token",
                "setting mwaa.s3-endpoint: http://minio.internal:9000 is plain http to another machine, so the AWS "
                        + "credentials' signed requests" + inClear);
        // to loopback, by name or address, plain http is what the local servers speak: deploy goes on to the next check
        for (String host : List.of("http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9")) {
            assertNotReady(ToolkitSettings.load("local", Map.of("databricks.host", host, "mwaa.bucket", "b-1",
                    "mwaa.s3-endpoint", host)), home, "token", "no job jar at " + home.resolve(Deploy.JAR)
                    + ": run ./pipeline build first");
        }
    }

    private static void assertNotReady(ToolkitSettings settings, Path home, String token, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> environment = token == null ? Map.of() : Map.of(Deploy.TOKEN_VARIABLE, token);
        assertThatThrownBy(() -> new Deploy(settings, home, environment::get, new PrintStream(out)).run())
                .isInstanceOf(DeployException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(((DeployException) e).exitStatus()).isEqualTo(2));
        assertThat(out.toString()).isEmpty();
    }
}
