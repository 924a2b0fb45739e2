package io.pinpipeline.toolkit.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipeline.toolkit.local.LocalDatabricks;
import io.pinpipeline.toolkit.local.Loopback;
import io.pinpipeline.toolkit.settings.ToolkitSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code ./pipeline deploy} against real servers on loopback: s3proxy (an in-memory blob store) as
 * the MWAA bucket, reached with the default AWS credentials chain (here the aws.* system properties), and
 * {@link LocalDatabricks} as the workspace, reached with the Databricks SDK.
 */
class DeployIT {
    private static final String BUCKET = "mwaa-bucket";
    private static final String ACCESS_KEY = "deploy-it-access";
    private static final String SECRET_KEY = "deploy-it-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static S3Proxy s3proxy;
    private static BlobStoreContext blobs;
    private static URI s3Endpoint;
    private static S3Client s3;

    @TempDir
    Path home;
    @TempDir
    Path workspace;
    private LocalDatabricks databricks;

    @BeforeAll
    static void startS3() throws Exception {
        // The in-memory blob store: the filesystem one lists its folders as "dags/" objects, which S3 does not.
        blobs = ContextBuilder.newBuilder("transient").build(BlobStoreContext.class);
        s3Endpoint = URI.create("http://127.0.0.1:" + Loopback.freePort());
        s3proxy = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(s3Endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        s3proxy.start();
        while (!AbstractLifeCycle.STARTED.equals(s3proxy.getState())) {
            Thread.sleep(10);
        }
        // deploy's S3 client takes the default chain: its first link is these system properties.
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        s3 = S3Client.builder().region(Region.US_EAST_1).endpointOverride(s3Endpoint).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    @AfterAll
    static void stopS3() throws Exception {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        s3.close();
        s3proxy.stop();
        blobs.close();
    }

    @BeforeEach
    void freshBucketAndWorkspace() {
        if (s3.listBuckets().buckets().stream().anyMatch(bucket -> bucket.name().equals(BUCKET))) {
            blobs.getBlobStore().deleteContainer(BUCKET);
        }
        s3.createBucket(request -> request.bucket(BUCKET));
        databricks = LocalDatabricks.start(0, workspace);
    }

    @AfterEach
    void stopWorkspace() {
        databricks.close();
    }

    @Test
    void toDbfsThenAgainWithoutUploadingTheJarTwice() throws IOException {
        // 2.5 MB: three DBFS blocks
        TestRepo.create(home, "0.1.0-SNAPSHOT", 2_500_000, 7);
        JobJar jar = JobJar.of(home.resolve(Deploy.JAR));
        String expectedJar = "dbfs:/FileStore/pinterest-pipeline/jars/" + jar.fileName();

        Run first = deploy(settings(Map.of()));
        assertThat(first.result.jar()).isEqualTo(new JarUpload.Outcome(expectedJar, true));
        assertThat(databricks.localPath(expectedJar)).hasSameBinaryContentAs(home.resolve(Deploy.JAR));
        assertThat(first.output).contains("jar: uploaded " + expectedJar + " (" + jar.size() + " bytes)");
        assertBucketHoldsTheDeployment(expectedJar);
        assertThat(first.output)
                .contains("s3: s3://mwaa-bucket/dags/pinterest_jobs/jar_task.py (")
                .contains("s3: s3://mwaa-bucket/requirements.txt (")
                .contains("requirements: the bucket returned no version id; MWAA needs versioning on its bucket")
                .doesNotContain(databricks.token());

        long modified = Files.getLastModifiedTime(databricks.localPath(expectedJar)).toMillis();
        Run second = deploy(settings(Map.of()));
        assertThat(second.result.jar()).isEqualTo(new JarUpload.Outcome(expectedJar, false));
        assertThat(second.output).contains("jar: " + expectedJar
                + " is already there with the same size (the name carries the SHA-256): upload skipped");
        assertThat(Files.getLastModifiedTime(databricks.localPath(expectedJar)).toMillis()).isEqualTo(modified);
        try (var files = Files.list(databricks.localPath("dbfs:/FileStore/pinterest-pipeline/jars"))) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly(jar.fileName());
        }
        assertBucketHoldsTheDeployment(expectedJar);
    }

    @Test
    void toAVolumeFolder() throws IOException {
        TestRepo.create(home, "0.1.0", 300_000, 8);
        JobJar jar = JobJar.of(home.resolve(Deploy.JAR));
        String expectedJar = "/Volumes/main/pinterest/artifacts/jars/" + jar.fileName();

        Run first = deploy(settings(Map.of("databricks.jar-folder", "/Volumes/main/pinterest/artifacts/jars")));
        assertThat(first.result.jar()).isEqualTo(new JarUpload.Outcome(expectedJar, true));
        assertThat(databricks.localPath(expectedJar)).hasSameBinaryContentAs(home.resolve(Deploy.JAR));
        assertBucketHoldsTheDeployment(expectedJar);

        Run second = deploy(settings(Map.of("databricks.jar-folder", "/Volumes/main/pinterest/artifacts/jars")));
        assertThat(second.result.jar().uploaded()).isFalse();
        assertThat(second.output).contains("upload skipped");
    }

    @Test
    void aFileOfTheSameNameButAnotherSizeIsNeverOverwritten() throws IOException {
        TestRepo.create(home, "0.1.0", 1000, 9);
        JobJar jar = JobJar.of(home.resolve(Deploy.JAR));
        Path broken = databricks.localPath("dbfs:/FileStore/pinterest-pipeline/jars/" + jar.fileName());
        Files.createDirectories(broken.getParent());
        Files.write(broken, new byte[10]);

        assertThatThrownBy(() -> deploy(settings(Map.of())))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("exists with 10 bytes, the jar has " + jar.size())
                .hasMessageContaining("Not overwriting it");
        assertThat(Files.size(broken)).isEqualTo(10);
        assertThat(keys()).isEmpty();
    }

    @Test
    void withoutATokenNothingIsSent() throws IOException {
        TestRepo.create(home, "0.1.0", 1000, 10);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> new Deploy(settings(Map.of()), home, name -> null,
                new PrintStream(out, true, StandardCharsets.UTF_8)).run())
                .isInstanceOf(DeployException.class)
                .hasMessageStartingWith("DATABRICKS_TOKEN is not set")
                .satisfies(e -> assertThat(((DeployException) e).exitStatus()).isEqualTo(2));
        assertThat(keys()).isEmpty();
        assertThat(databricks.localPath("dbfs:/FileStore")).doesNotExist();
    }

    private void assertBucketHoldsTheDeployment(String jarPath) throws IOException {
        List<String> expected = new ArrayList<>();
        for (String file : TestRepo.DEPLOYED) {
            expected.add("dags/" + file);
        }
        expected.add("dags/" + DagSettings.FILE_NAME);
        expected.add("requirements.txt");
        Map<String, byte[]> objects = objects();
        assertThat(objects.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        for (String file : TestRepo.DEPLOYED) {
            assertThat(objects.get("dags/" + file)).isEqualTo(Files.readAllBytes(home.resolve("dags").resolve(file)));
        }
        assertThat(objects.get("requirements.txt")).isEqualTo(Files.readAllBytes(home.resolve(Deploy.REQUIREMENTS)));
        String settingsFile = new String(objects.get("dags/" + DagSettings.FILE_NAME), StandardCharsets.UTF_8);
        JsonNode parsed = JSON.readTree(settingsFile);
        assertThat(parsed.path("jar").asText()).isEqualTo(jarPath);
        assertThat(parsed.path("env").asText()).isEqualTo("dev");
        assertThat(settingsFile).isEqualTo(DagSettings.dagSettingsJson(settings(Map.of()), jarPath).replace(
                "dbfs:/FileStore/pinterest-pipeline/jars/", jarPath.substring(0, jarPath.lastIndexOf('/') + 1)));
    }

    private List<String> keys() {
        return s3.listObjectsV2Paginator(request -> request.bucket(BUCKET)).contents().stream().map(S3Object::key).toList();
    }

    private Map<String, byte[]> objects() {
        Map<String, byte[]> objects = new TreeMap<>();
        for (String key : keys()) {
            objects.put(key, s3.getObjectAsBytes(request -> request.bucket(BUCKET).key(key)).asByteArray());
        }
        return objects;
    }

    private ToolkitSettings settings(Map<String, String> more) {
        Map<String, String> overrides = new HashMap<>(Map.of("databricks.host", databricks.url().toString(),
                "mwaa.bucket", BUCKET, "mwaa.s3-endpoint", s3Endpoint.toString(), "mwaa.region", "us-east-1"));
        overrides.putAll(more);
        return ToolkitSettings.load("dev", overrides);
    }

    private record Run(Deploy.Result result, String output) {
    }

    private Run deploy(ToolkitSettings settings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> environment = Map.of(Deploy.TOKEN_VARIABLE, databricks.token());
        Deploy.Result result = new Deploy(settings, home, environment::get, new PrintStream(out, true, StandardCharsets.UTF_8))
                .run();
        return new Run(result, out.toString(StandardCharsets.UTF_8));
    }
}
