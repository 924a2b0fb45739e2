package io.pinpipeline.toolkit.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.toolkit.testing.RawHttp;
import io.pinpipeline.toolkit.testing.SlowClients;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LocalDatabricks over HTTP as the Airflow provider and deploy use it: DBFS and volume uploads, and jar runs of the
 * real job jar in real child JVMs on local Spark and Delta; and what it refuses: requests without its token or to
 * another Host, paths out of its folder, bodies over their caps, main classes and environments that would reach the
 * driver's JVM, slow clients holding it up, a delete of the DBFS root.
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
    /** Holds the workspace of the tests that try to get out of it, beside a file they must never reach. */
    @TempDir
    Path sandbox;

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
        // The driver's environment: what the run asked for and the little it keeps of this JVM's, nothing else.
        for (ProcessHandle driver : drivers) {
            assertThat(environmentNames(driver)).contains("PIPELINE_HOME")
                    .isSubsetOf(union(DatabricksRuns.INHERITED_ENV, Set.of("PIPELINE_HOME")));
        }

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

    @Test
    void everyRequestNeedsThisStartsToken() throws Exception {
        databricks = LocalDatabricks.start(0, root);
        String token = databricks.token();
        assertThat(token).matches("dapi[0-9a-f]{32}");
        try (LocalDatabricks another = LocalDatabricks.start(0, home)) {
            assertThat(another.token()).as("a new token each start").matches("dapi[0-9a-f]{32}").isNotEqualTo(token);
        }

        String listRuns = "/api/2.2/jobs/runs/list";
        assertThat(status(HttpRequest.newBuilder(databricks.url().resolve(listRuns)).GET())).isEqualTo(401);
        for (String authorization : List.of("Bearer local-token", "Bearer " + token + "0",
                "Bearer " + token.substring(1), "Basic " + token, "bearer" + token, "Bearer  " + token)) {
            RawHttp.Answer refused = RawHttp.send(databricks.url(), "GET", listRuns,
                    RawHttp.headers(databricks.url(), "Authorization", authorization), null);
            assertThat(refused.status()).as(authorization).isEqualTo(401);
            assertThat(JSON.readTree(refused.body()).get("error_code").asText()).isEqualTo("UNAUTHENTICATED");
            assertThat(refused.body()).doesNotContain(token);
        }
        assertThat(call("GET", listRuns, null).status()).isEqualTo(200);
    }

    @Test
    void aHostThatIsNotLoopbackIsRefusedWhateverTheToken() throws Exception {
        databricks = LocalDatabricks.start(0, root);
        int port = databricks.url().getPort();
        String listRuns = "/api/2.2/jobs/runs/list";
        // a page of another site, its name pointed at 127.0.0.1 (DNS rebinding), sends its own name as the Host
        for (String host : List.of("rebind.example:" + port, "127.0.0.1.rebind.example", "10.0.0.5:" + port,
                "localhost.rebind.example", "[::1].rebind.example", "")) {
            RawHttp.Answer refused = RawHttp.send(databricks.url(), "GET", listRuns,
                    Map.of("Host", host, "Authorization", "Bearer " + databricks.token()), null);
            assertThat(refused.status()).as(host).isEqualTo(403);
            assertThat(JSON.readTree(refused.body()).get("error_code").asText()).isEqualTo("PERMISSION_DENIED");
        }
        assertThat(RawHttp.send(databricks.url(), "GET", listRuns,
                Map.of("Authorization", "Bearer " + databricks.token()), null).status()).as("no Host at all").isEqualTo(403);
        for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST", "[::1]:" + port,
                "127.0.0.1")) {
            assertThat(RawHttp.send(databricks.url(), "GET", listRuns,
                    Map.of("Host", host, "Authorization", "Bearer " + databricks.token()), null).status())
                    .as(host).isEqualTo(200);
        }
    }

    @Test
    void noPathTakingEndpointReachesOutOfTheWorkspace() throws Exception {
        databricks = LocalDatabricks.start(0, sandbox.resolve("workspace"));
        Path secret = Files.writeString(sandbox.resolve("secret.txt"), "not the workspace's");
        String contents = Base64.getEncoder().encodeToString("escaped".getBytes(StandardCharsets.UTF_8));
        // from <workspace>/dbfs, two levels up is the sandbox; from <workspace>/volumes/c/s/v, five
        List<String> dbfsPaths = List.of("/../../secret.txt", "dbfs:/tmp/../../../escaped", "/%2e%2e/%2E%2e/escaped",
                "/tmp/./escaped", "/tmp/a\u0000b", "/tmp/a\nb");
        List<String> queryPaths = List.of("/../../secret.txt", "/%2e%2e/%2e%2e/secret.txt",
                "/%252e%252e/%252e%252e/secret.txt", "/tmp/a%00b");
        List<String> volumeTargets = List.of("/Volumes/c/s/v/../../../../../escaped",
                "/Volumes/c/s/v/%2e%2e/%2e%2e/%2e%2e/escaped", "/Volumes/c/s/v/a%00b", "/Volumes/c/s/v/%252e%252e/escaped");

        List<String> refused = new ArrayList<>();
        for (String path : queryPaths) {
            for (String endpoint : List.of("get-status", "list", "read")) {
                refused.add(expectInvalid("GET", "/api/2.0/dbfs/" + endpoint + "?path=" + path, null));
            }
        }
        for (String path : dbfsPaths) {
            refused.add(expectInvalid("POST", "/api/2.0/dbfs/put", json(Map.of("path", path, "contents", contents,
                    "overwrite", true))));
            refused.add(expectInvalid("POST", "/api/2.0/dbfs/create", json(Map.of("path", path, "overwrite", true))));
            refused.add(expectInvalid("POST", "/api/2.0/dbfs/mkdirs", json(Map.of("path", path))));
            refused.add(expectInvalid("POST", "/api/2.0/dbfs/delete", json(Map.of("path", path, "recursive", true))));
            refused.add(expectInvalid("POST", "/api/2.2/jobs/runs/submit",
                    submitRequest("io.pinpipeline.jobs.batch.CleanUsers", path)));
        }
        for (String target : volumeTargets) {
            refused.add(expectInvalid("PUT", "/api/2.0/fs/files" + target + "?overwrite=true", "escaped"));
            refused.add(expectInvalid("GET", "/api/2.0/fs/files" + target, null));
            refused.add(expectInvalid("HEAD", "/api/2.0/fs/files" + target, null));
            refused.add(expectInvalid("PUT", "/api/2.0/fs/directories" + target, null));
        }

        assertThat(refused).as("every one refused with 400 INVALID_PARAMETER_VALUE").allMatch(String::isEmpty);
        assertThat(secret).hasContent("not the workspace's");
        try (var left = Files.walk(sandbox)) {
            assertThat(left.map(path -> path.getFileName().toString()))
                    .doesNotContain("escaped", "%2e%2e", "%2E%2e", "%252e%252e", "a\u0000b", "a\nb", "a");
        }
        try (var outside = Files.list(sandbox)) {
            assertThat(outside.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder("workspace",
                    "secret.txt");
        }
    }

    @Test
    void theDbfsRootIsNeverDeleted() throws Exception {
        databricks = LocalDatabricks.start(0, root);
        assertThat(call("POST", "/api/2.0/dbfs/mkdirs", json(Map.of("path", "/FileStore/jars"))).status())
                .isEqualTo(200);
        for (String path : List.of("/", "dbfs:/", "dbfs://", "//", "///")) {
            for (boolean recursive : List.of(true, false)) {
                Answer refused = call("POST", "/api/2.0/dbfs/delete",
                        json(Map.of("path", path, "recursive", recursive)));
                assertThat(refused.status()).as(path).isEqualTo(400);
                assertThat(refused.body().get("message").asText()).contains("DBFS root");
            }
        }
        assertThat(databricks.localPath("/FileStore/jars")).isDirectory();
        assertThat(call("POST", "/api/2.0/dbfs/delete", json(Map.of("path", "/FileStore", "recursive", true))).status())
                .isEqualTo(200);
        assertThat(databricks.localPath("/FileStore")).doesNotExist();
        assertThat(databricks.dbfsRoot()).isDirectory();
    }

    @Test
    void bodiesOverTheirCapsAreRefusedAsDatabricksRefusesThem() throws Exception {
        databricks = LocalDatabricks.start(0, root);
        byte[] twentyMegabytes = ("{\"path\": \"/tmp/big.bin\", \"overwrite\": true, \"contents\": \""
                + "A".repeat(20 << 20) + "\"}").getBytes(StandardCharsets.UTF_8);
        for (String endpoint : List.of("put", "add-block")) {
            HttpRequest.Builder declared = authorized("/api/2.0/dbfs/" + endpoint)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(twentyMegabytes));
            // without a length, chunked: refused once it passes the cap, not at its end
            HttpRequest.Builder chunked = authorized("/api/2.0/dbfs/" + endpoint)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(twentyMegabytes)));
            for (HttpRequest.Builder request : List.of(declared, chunked)) {
                Answer refused = answer(request);
                assertThat(refused.status()).as(endpoint).isEqualTo(400);
                assertThat(refused.body().get("error_code").asText()).isEqualTo("MAX_BLOCK_SIZE_EXCEEDED");
            }
        }
        // within the body's cap, but more than 1 MB of data
        String overOneMegabyte = Base64.getEncoder().encodeToString(new byte[LocalDatabricks.MAX_BLOCK_BYTES + 1]);
        Answer contents = call("POST", "/api/2.0/dbfs/put",
                json(Map.of("path", "/tmp/big.bin", "contents", overOneMegabyte)));
        assertThat(contents.status()).isEqualTo(400);
        assertThat(contents.body().get("error_code").asText()).isEqualTo("MAX_BLOCK_SIZE_EXCEEDED");
        assertThat(databricks.localPath("/tmp/big.bin")).doesNotExist();

        Answer submit = answer(authorized("/api/2.2/jobs/runs/submit")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[LocalDatabricks.MAX_JSON_REQUEST_BYTES + 1])));
        assertThat(submit.status()).isEqualTo(413);
        assertThat(submit.body().get("error_code").asText()).isEqualTo("REQUEST_ENTITY_TOO_LARGE");

        String volumeFile = "/api/2.0/fs/files/Volumes/main/pipeline/jars/big.jar";
        Answer file = answer(authorized(volumeFile).PUT(HttpRequest.BodyPublishers.ofByteArray(twentyMegabytes)));
        assertThat(file.status()).isEqualTo(413);
        assertThat(file.body().get("error_code").asText()).isEqualTo("REQUEST_ENTITY_TOO_LARGE");
        assertThat(databricks.localPath("/Volumes/main/pipeline/jars/big.jar")).doesNotExist();
        try (var temporary = Files.list(root.resolve("tmp"))) {
            assertThat(temporary).as("no part of a refused upload is left").isEmpty();
        }
        byte[] atTheCap = new byte[(int) LocalDatabricks.MAX_FILE_BYTES];
        assertThat(answer(authorized(volumeFile).PUT(HttpRequest.BodyPublishers.ofByteArray(atTheCap))).status())
                .isEqualTo(204);
        assertThat(Files.size(databricks.localPath("/Volumes/main/pipeline/jars/big.jar"))).isEqualTo(atTheCap.length);
    }

    @Test
    void fiveSlowClientsDoNotHoldUpTheApiAndAreCutOff() throws Exception {
        databricks = LocalDatabricks.start(0, root);
        String authorization = "Authorization: Bearer " + databricks.token() + "\r\n";
        try (SlowClients slow = SlowClients.start(databricks.url(), 5, "POST", "/api/2.0/dbfs/put", authorization)) {
            // the slow ones hold their threads: everyone else is still answered, quickly
            for (int i = 0; i < 10; i++) {
                long started = System.nanoTime();
                HttpResponse<String> answer = http.send(authorized("/api/2.2/jobs/runs/list")
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            }
            // and the server closes them once their time to send a request is up
            assertThat(slow.awaitClosedByServer(Duration.ofSeconds(LocalHttp.MAX_REQUEST_SECONDS + 5))).isEqualTo(5);
        }
    }

    @Test
    void aMainClassOrEnvironmentThatWouldReachTheDriversJvmIsRefused() throws Exception {
        databricks = LocalDatabricks.start(0, root);
        // a jar that exists: what is refused is the class name or the variable, nothing else
        String emptyJar = "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==";
        assertThat(call("POST", "/api/2.0/dbfs/put", json(Map.of("path", JAR, "contents", emptyJar))).status())
                .isEqualTo(200);
        for (String mainClass : List.of("-XX:OnOutOfMemoryError=touch /tmp/pwned", "-version", "a b", "x;y", "",
                "io.pinpipeline..CleanPins", ".CleanPins", "CleanPins.", "1CleanPins", "Clean\u0000Pins", "@argfile")) {
            Answer refused = call("POST", "/api/2.2/jobs/runs/submit", submitRequest(mainClass, JAR));
            assertThat(refused.status()).as(mainClass).isEqualTo(400);
            assertThat(refused.body().get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
            assertThat(refused.body().get("message").asText()).contains("main_class_name");
        }
        for (String variable : List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "LD_PRELOAD", "SPARK_LOCAL_IP",
                "PATH")) {
            ObjectNode request = submitRequest("io.pinpipeline.jobs.batch.CleanUsers", JAR);
            ((ObjectNode) request.at("/new_cluster/spark_env_vars"))
                    .put(variable, "-XX:OnOutOfMemoryError=touch /tmp/pwned");
            Answer refused = call("POST", "/api/2.2/jobs/runs/submit", request);
            assertThat(refused.status()).as(variable).isEqualTo(400);
            assertThat(refused.body().get("message").asText()).contains("spark_env_vars: " + variable + " ");
        }
        assertThat(call("GET", "/api/2.2/jobs/runs/list", null).body().get("runs")).as("no run was made").isEmpty();
        assertThat(root.resolve("runs").toFile().list()).as("no run folder").isNullOrEmpty();
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

    /** Sends a request meant to be refused as a bad parameter; "" when it was, else what came back instead. */
    private String expectInvalid(String method, String target, Object body) throws IOException {
        byte[] bytes = body == null ? null : body instanceof String text ? text.getBytes(StandardCharsets.UTF_8)
                : JSON.writeValueAsBytes(body);
        Map<String, String> headers = new LinkedHashMap<>(RawHttp.headers(databricks.url(),
                "Authorization", "Bearer " + databricks.token()));
        RawHttp.Answer answer = RawHttp.send(databricks.url(), method, target, headers, bytes);
        boolean invalid = answer.status() == 400 && (method.equals("HEAD")
                || JSON.readTree(answer.body()).path("error_code").asText().equals("INVALID_PARAMETER_VALUE"));
        return invalid ? "" : method + " " + target + " " + (body == null ? "" : body + " ") + "-> " + answer;
    }

    private Answer answer(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    private int status(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static Set<String> environmentNames(ProcessHandle process) throws IOException {
        String environ = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "environ"),
                StandardCharsets.UTF_8);
        Set<String> names = new java.util.TreeSet<>();
        for (String entry : environ.split("\u0000")) {
            if (!entry.isEmpty()) {
                names.add(entry.substring(0, entry.indexOf('=')));
            }
        }
        return names;
    }

    private static Set<String> union(Set<String> first, Set<String> second) {
        Set<String> both = new java.util.TreeSet<>(first);
        both.addAll(second);
        return both;
    }

    private HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(URI.create(databricks.url() + path))
                .header("Authorization", "Bearer " + databricks.token())
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
