package io.pinpipeline.toolkit.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.Settings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LocalDatabricks over HTTP as the Airflow provider and deploy use it: DBFS and volume uploads, and jar runs of the
 * real job jar in real child JVMs on local Spark and Delta.
 */
class LocalDatabricksIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DAY = "2024-05-01";
    static final String JAR = "dbfs:/FileStore/jars/pinterest-jobs.jar";
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path root;
    @TempDir
    Path home;

    final HttpClient http = HttpClient.newHttpClient();
    LocalDatabricks databricks;

    @AfterEach
    void stop() {
        if (databricks != null) {
            databricks.close();
        }
    }

    @Test
    void dbfsAndVolumesStoreWhatIsUploaded() throws Exception {
        databricks = LocalDatabricks.start(0, root);
        byte[] bytes = new byte[2 * LocalDatabricks.MAX_BLOCK_BYTES + 12_345];
        new Random(7).nextBytes(bytes);

        upload("dbfs:/tmp/big.bin", bytes);

        JsonNode status = call("GET", "/api/2.0/dbfs/get-status?path=dbfs:/tmp/big.bin", null).body();
        assertThat(status.get("path").asText()).isEqualTo("/tmp/big.bin");
        assertThat(status.get("is_dir").asBoolean()).isFalse();
        assertThat(status.get("file_size").asLong()).isEqualTo(bytes.length);
        assertThat(Files.readAllBytes(databricks.localPath("/tmp/big.bin"))).isEqualTo(bytes);
        assertThat(databricks.localPath("dbfs:/tmp/big.bin")).isEqualTo(databricks.dbfsRoot().resolve("tmp/big.bin"));
        assertThat(readBack("/tmp/big.bin", bytes.length)).isEqualTo(bytes);
        assertThat(call("GET", "/api/2.0/dbfs/list?path=/tmp", null).body().get("files").get(0).get("path").asText())
                .isEqualTo("/tmp/big.bin");

        Answer again = call("POST", "/api/2.0/dbfs/put", json(Map.of("path", "/tmp/big.bin", "contents", "AAAA")));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.body().get("error_code").asText()).isEqualTo("RESOURCE_ALREADY_EXISTS");
        assertThat(call("GET", "/api/2.0/dbfs/get-status?path=/tmp/missing", null).status()).isEqualTo(404);
        Answer escape = call("GET", "/api/2.0/dbfs/get-status?path=/tmp/../../etc/passwd", null);
        assertThat(escape.status()).isEqualTo(400);
        assertThat(escape.body().get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");

        String volumeFile = "/api/2.0/fs/files/Volumes/main/pipeline/jars/v1/pinterest-jobs.jar";
        HttpResponse<String> put = http.send(authorized(volumeFile + "?overwrite=false")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(204);
        assertThat(databricks.localPath("/Volumes/main/pipeline/jars/v1/pinterest-jobs.jar"))
                .isEqualTo(root.toAbsolutePath().resolve("volumes/main/pipeline/jars/v1/pinterest-jobs.jar"))
                .hasBinaryContent(bytes);
        HttpResponse<String> putAgain = http.send(authorized(volumeFile + "?overwrite=false")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(putAgain.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(putAgain.body()).get("error_code").asText()).isEqualTo("ALREADY_EXISTS");
        HttpResponse<Void> head = http.send(authorized(volumeFile).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(bytes.length);
        assertThat(http.send(authorized(volumeFile).GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body())
                .isEqualTo(bytes);
        assertThat(http.send(authorized(volumeFile + ".missing").method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);

        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(databricks.url()
                .resolve("/api/2.0/dbfs/get-status?path=/tmp/big.bin")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(anonymous.body()).has("error_code")).isTrue();
    }

    @Test
    void aJarRunCleansTheLandedUsersIntoSilver() throws Exception {
        databricks = LocalDatabricks.start(0, root);
        uploadJobJar();
        landUsers(List.of(
                "{\"ind\": 1, \"first_name\": \"Ada\", \"last_name\": \"Lovelace\", \"age\": 36, \"date_joined\": \"2015-10-24 11:23:51\"}",
                "{\"ind\": 2, \"first_name\": \"Alan\", \"age\": 200, \"date_joined\": \"2016-01-02 03:04:05\"}",
                "{\"ind\": 1, \"first_name\": \"Ada\", \"last_name\": \"Lovelace\", \"age\": 36, \"date_joined\": \"2015-10-24 11:23:51\"}"));

        long runId = submit("io.pinpipeline.jobs.batch.CleanUsers", "--env", "local", "--date", DAY);
        List<String> states = new ArrayList<>();
        JsonNode run = awaitTerminal(runId, states);

        assertThat(states).contains("RUNNING").endsWith("TERMINATED");
        assertThat(run.at("/state/result_state").asText()).as(run.toString()).isEqualTo("SUCCESS");
        assertThat(run.get("run_page_url").asText()).isEqualTo(databricks.url() + "/#job/runs/" + runId);
        assertThat(run.at("/tasks/0/run_id").asLong()).isEqualTo(runId);
        assertThat(run.at("/tasks/0/state/result_state").asText()).isEqualTo("SUCCESS");
        assertThat(root.resolve("runs/" + runId + "/driver.log")).content().contains("user " + DAY + ": 3 lines read");

        SparkSession spark = LocalSpark.start();
        try {
            var users = spark.read().format("delta").load(home.resolve("local-data/lake/user").toString());
            assertThat(users.schema().simpleString())
                    .isEqualTo("struct<ind:bigint,user_name:string,age:int,date_joined:timestamp>");
            assertThat(users.orderBy("ind").collectAsList().stream().map(Row::toString).toList()).containsExactly(
                    "[1,Ada Lovelace,36,2015-10-24T11:23:51Z]",
                    "[2,Alan,null,2016-01-02T03:04:05Z]");
        } finally {
            spark.stop();
        }
    }

    @Test
    void aFailedRunNamesItsErrorAndKeepsItsLog() throws Exception {
        databricks = LocalDatabricks.start(0, root);
        uploadJobJar();

        long runId = submit("io.pinpipeline.jobs.batch.CleanUsers", "--env", "local", "--date", "2024-13-01");
        JsonNode run = awaitTerminal(runId, new ArrayList<>());

        assertThat(run.at("/state/result_state").asText()).isEqualTo("FAILED");
        assertThat(run.at("/state/state_message").asText()).contains("exited with code 1").contains("2024-13-01");
        JsonNode output = call("GET", "/api/2.2/jobs/runs/get-output?run_id=" + runId, null).body();
        assertThat(output.get("error").asText()).contains("2024-13-01");
        assertThat(output.get("error_trace").asText()).contains("SettingsException");
        assertThat(output.at("/metadata/run_id").asLong()).isEqualTo(runId);
        assertThat(root.resolve("runs/" + runId + "/driver.log")).content().contains("is not a calendar day");

        Answer missingJar = call("POST", "/api/2.1/jobs/runs/submit", submitRequest("io.pinpipeline.jobs.batch.CleanUsers",
                "dbfs:/FileStore/jars/missing.jar"));
        assertThat(missingJar.status()).isEqualTo(400);
        assertThat(missingJar.body().get("message").asText()).contains("dbfs:/FileStore/jars/missing.jar");
        ObjectNode noCluster = submitRequest("io.pinpipeline.jobs.batch.CleanUsers", JAR);
        noCluster.remove("new_cluster");
        assertThat(call("POST", "/api/2.2/jobs/runs/submit", noCluster).body().get("error_code").asText())
                .isEqualTo("INVALID_PARAMETER_VALUE");
    }

    @Test
    void cancelStopsARunningDriverAndAWaitingRunNeverStarts() throws Exception {
        databricks = LocalDatabricks.start(0, root, 1);
        uploadJobJar();
        landUsers(List.of("{\"ind\": 1, \"first_name\": \"Ada\"}"));

        long running = submit("io.pinpipeline.jobs.batch.CleanUsers", "--env", "local", "--date", DAY);
        long waiting = submit("io.pinpipeline.jobs.batch.CleanUsers", "--env", "local", "--date", DAY);
        awaitState(running, "RUNNING");
        assertThat(state(waiting).get("life_cycle_state").asText()).isEqualTo("PENDING");
        List<ProcessHandle> drivers = ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
        assertThat(drivers).as("the running run's driver JVM").isNotEmpty();

        assertThat(call("POST", "/api/2.2/jobs/runs/cancel", json(Map.of("run_id", waiting))).status()).isEqualTo(200);
        assertThat(state(waiting).get("result_state").asText()).isEqualTo("CANCELED");
        call("POST", "/api/2.2/jobs/runs/cancel", json(Map.of("run_id", running)));
        JsonNode canceled = awaitTerminal(running, new ArrayList<>());

        assertThat(canceled.at("/state/result_state").asText()).isEqualTo("CANCELED");
        assertThat(drivers).noneMatch(ProcessHandle::isAlive);
        assertThat(state(waiting).get("result_state").asText()).isEqualTo("CANCELED");
        assertThat(root.resolve("runs/" + waiting)).as("a cancelled waiting run never starts").doesNotExist();
        JsonNode list = call("GET", "/api/2.2/jobs/runs/list", null).body();
        List<Long> listed = new ArrayList<>();
        list.get("runs").forEach(each -> listed.add(each.get("run_id").asLong()));
        assertThat(listed).as("newest first").containsExactly(waiting, running);
    }

    // ---- helpers ----

    record Answer(int status, JsonNode body) {
    }

    private Answer call(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
        HttpResponse<byte[]> response = http.send(authorized(path).method(method, publisher).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    private HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(URI.create(databricks.url() + path))
                .header("Authorization", "Bearer local-token")
                .timeout(Duration.ofSeconds(30));
    }

    private static ObjectNode json(Map<String, Object> fields) {
        return JSON.valueToTree(fields);
    }

    /** The DBFS streaming upload, in blocks of at most 1 MB as Databricks requires. */
    private void upload(String path, byte[] bytes) throws IOException, InterruptedException {
        Answer created = call("POST", "/api/2.0/dbfs/create", json(Map.of("path", path, "overwrite", true)));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(200);
        long handle = created.body().get("handle").asLong();
        for (int offset = 0; offset < bytes.length; offset += LocalDatabricks.MAX_BLOCK_BYTES) {
            byte[] block = Arrays.copyOfRange(bytes, offset, Math.min(bytes.length, offset + LocalDatabricks.MAX_BLOCK_BYTES));
            Answer added = call("POST", "/api/2.0/dbfs/add-block",
                    json(Map.of("handle", handle, "data", Base64.getEncoder().encodeToString(block))));
            assertThat(added.status()).as(added.body().toString()).isEqualTo(200);
        }
        assertThat(call("POST", "/api/2.0/dbfs/close", json(Map.of("handle", handle))).status()).isEqualTo(200);
    }

    private byte[] readBack(String path, int size) throws IOException, InterruptedException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (out.size() < size) {
            JsonNode chunk = call("GET", "/api/2.0/dbfs/read?path=" + path + "&offset=" + out.size() + "&length="
                    + LocalDatabricks.MAX_BLOCK_BYTES, null).body();
            out.write(Base64.getDecoder().decode(chunk.get("data").asText()));
        }
        return out.toByteArray();
    }

    private void uploadJobJar() throws IOException, InterruptedException {
        // Failsafe runs in the toolkit module's folder; the reactor's verify packages the jobs module first.
        Path jar = Path.of("..", "jobs", "target", "pinterest-jobs.jar").toAbsolutePath().normalize();
        assertThat(jar).as("the job jar %s: build it first (mvn -pl jobs,toolkit verify packages jobs before these"
                + " tests)", jar).isRegularFile();
        upload(JAR, Files.readAllBytes(jar));
    }

    private void landUsers(List<String> lines) throws IOException {
        String prefix = Settings.load("local", Map.of()).prefix();
        Path dir = home.resolve("local-data/landing/topics").resolve(RecordKind.USER.topic(prefix)).resolve("dt=" + DAY);
        Files.createDirectories(dir);
        Files.write(dir.resolve("part-0.json"), lines);
    }

    private ObjectNode submitRequest(String mainClass, String jar, String... parameters) {
        ObjectNode request = JSON.createObjectNode().put("run_name", "local-databricks-it");
        ObjectNode task = request.putObject("spark_jar_task").put("main_class_name", mainClass);
        Arrays.stream(parameters).forEach(task.putArray("parameters")::add);
        request.putArray("libraries").addObject().put("jar", jar);
        ObjectNode cluster = request.putObject("new_cluster").put("spark_version", "17.3.x-scala2.13")
                .put("num_workers", 0);
        cluster.putObject("spark_conf")
                // tiny test input: one shuffle partition instead of 200
                .put("spark.sql.shuffle.partitions", "1")
                // Delta reads its tiny log in one task instead of 50
                .put("spark.databricks.delta.snapshotPartitions", "1");
        cluster.putObject("spark_env_vars").put("PIPELINE_HOME", home.toString());
        return request;
    }

    private long submit(String mainClass, String... parameters) throws IOException, InterruptedException {
        Answer answer = call("POST", "/api/2.2/jobs/runs/submit", submitRequest(mainClass, JAR, parameters));
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        return answer.body().get("run_id").asLong();
    }

    private JsonNode state(long runId) throws IOException, InterruptedException {
        return call("GET", "/api/2.2/jobs/runs/get?run_id=" + runId, null).body().get("state");
    }

    private JsonNode awaitTerminal(long runId, List<String> states) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode run = call("GET", "/api/2.2/jobs/runs/get?run_id=" + runId, null).body();
            String state = run.at("/state/life_cycle_state").asText();
            if (states.isEmpty() || !states.get(states.size() - 1).equals(state)) {
                states.add(state);
            }
            if (state.equals("TERMINATED")) {
                return run;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + runId + " did not end in " + RUN_TIMEOUT + "; states " + states);
    }

    private void awaitState(long runId, String wanted) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        while (!state(runId).get("life_cycle_state").asText().equals(wanted)) {
            assertThat(System.nanoTime()).as("run %d never %s", runId, wanted).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
