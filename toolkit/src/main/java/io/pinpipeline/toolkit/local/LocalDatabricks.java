package io.pinpipeline.toolkit.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pinpipeline.toolkit.files.FileTree;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A local stand-in for a Databricks workspace, for the part of its REST API that Airflow's Databricks provider
 * (apache-airflow-providers-databricks 7.x: {@code DatabricksSubmitRunOperator}) and our deploy command use, so that
 * a DAG runs end to end on one machine: deploy uploads the job jar, the DAG submits jar tasks, each task runs the
 * uploaded jar's main class on local Spark and Delta.
 *
 * <p>What it implements, on 127.0.0.1 only:
 * <ul>
 *   <li>Jobs API 2.2 (and 2.1, same paths): {@code runs/submit} of one {@code spark_jar_task} (the one-off form,
 *       or {@code tasks} with exactly one task), {@code runs/get}, {@code runs/get-output}, {@code runs/cancel},
 *       {@code runs/list}. Each run is one child JVM ({@link DatabricksRuns}) with its log in
 *       {@code root/runs/<run_id>/driver.log}; at most {@code maxConcurrentRuns} run at once, the others PENDING.</li>
 *   <li>DBFS API 2.0: {@code put}, {@code create}/{@code add-block}/{@code close}, {@code get-status},
 *       {@code mkdirs}, {@code list}, {@code read}, {@code delete}; files under {@code root/dbfs}.</li>
 *   <li>Files API 2.0 for Unity Catalog volumes: {@code PUT}/{@code HEAD}/{@code GET} of
 *       {@code /api/2.0/fs/files/Volumes/...} and {@code PUT /api/2.0/fs/directories/...}; files under
 *       {@code root/volumes}.</li>
 * </ul>
 * Errors are Databricks' {@code {"error_code", "message"}} bodies.
 *
 * <p>Nothing unexpected gets in or is destroyed:
 * <ul>
 *   <li>Every start makes a new token ({@code dapi} and 32 hex digits, as a personal access token looks), which the
 *       one who started it shows once ({@link #token()}); every request needs {@code Authorization: Bearer <token>}
 *       (401 UNAUTHENTICATED otherwise). The token is in no log and no error message.</li>
 *   <li>A request whose Host header does not name loopback is answered 403 PERMISSION_DENIED before its token is
 *       looked at (DNS rebinding, see {@link LocalHttp}); the time limits and threads of {@link LocalHttp} apply.</li>
 *   <li>Request bodies are read through a cap: DBFS {@code put} and {@code add-block} take at most 1 MB of data
 *       (400 MAX_BLOCK_SIZE_EXCEEDED past it, as Databricks answers, the body being refused as soon as it is too large
 *       to hold 1 MB of base64 and its path), a Files API upload {@value #MAX_FILE_BYTES} bytes, every other
 *       JSON request {@value #MAX_JSON_REQUEST_BYTES} bytes (413 REQUEST_ENTITY_TOO_LARGE past those two).</li>
 *   <li>Every path (DBFS paths in queries and bodies, Files API paths, library jars) must be absolute, without a
 *       {@code .} or {@code ..} segment (also when sent as {@code %2e%2e}) and without a control character such as NUL
 *       (400 INVALID_PARAMETER_VALUE): nothing outside {@code root} is ever read or written. The DBFS root itself is
 *       never deleted.</li>
 *   <li>A run's main class must be a Java class name and its {@code spark_env_vars} those the jobs' settings read
 *       ({@link DatabricksRuns}): what a request sends reaches the driver's JVM as system properties
 *       ({@code spark_conf}) and the main class's arguments only, never as a JVM option.</li>
 * </ul>
 *
 * <p>What it does not implement: the Clusters API (every run gets a fresh local "cluster", {@code new_cluster}
 * only contributes its {@code spark_conf} and {@code spark_env_vars}), jobs that are created and then run by id,
 * non-jar tasks and libraries, permissions, and persistence: runs live in memory, so a restart forgets them
 * (uploaded files and run logs stay on disk).
 */
public final class LocalDatabricks implements AutoCloseable {
    /** Databricks refuses DBFS blocks and reads larger than 1 MB: a client that works here works there. */
    static final int MAX_BLOCK_BYTES = 1 << 20;
    /** A DBFS put or add-block body: 1 MB of data as base64, and room for the path and the JSON around them. */
    static final int MAX_BLOCK_REQUEST_BYTES = (MAX_BLOCK_BYTES + 2) / 3 * 4 + 64 * 1024;
    /** Any other JSON request: the provider's and deploy's are a few KB. */
    static final int MAX_JSON_REQUEST_BYTES = 1 << 20;
    /** A Files API upload; Databricks takes up to 5 GB, the job jar that goes this way is under 1 MB. */
    static final long MAX_FILE_BYTES = 10L << 20;
    private static final int DEFAULT_MAX_CONCURRENT_RUNS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** {@code %2e}, and {@code %252e} and so on: a dot however many times it was percent-encoded. */
    private static final Pattern ENCODED_DOT = Pattern.compile("%(25)*2e", Pattern.CASE_INSENSITIVE);

    private final HttpServer server;
    private final String token = newToken();
    private final Path root;
    private final DatabricksRuns runs;
    private final Map<Long, Upload> uploads = new ConcurrentHashMap<>();
    private final AtomicLong nextHandle = new AtomicLong(1);

    private record Upload(Path target, Path temp) {
    }

    private LocalDatabricks(HttpServer server, Path root, int maxConcurrentRuns) {
        this.server = server;
        this.root = root.toAbsolutePath().normalize();
        this.runs = new DatabricksRuns(this.root.resolve("runs"), this::localPath, maxConcurrentRuns);
    }

    /** Starts on 127.0.0.1 at the port (0 for any free one), keeping its files under {@code root}; two runs at once. */
    public static LocalDatabricks start(int port, Path root) {
        return start(port, root, DEFAULT_MAX_CONCURRENT_RUNS);
    }

    /** As {@link #start(int, Path)}, running at most {@code maxConcurrentRuns} child JVMs at once. */
    public static LocalDatabricks start(int port, Path root, int maxConcurrentRuns) {
        if (maxConcurrentRuns < 1) {
            throw new IllegalArgumentException("maxConcurrentRuns must be at least 1, got " + maxConcurrentRuns);
        }
        try {
            Files.createDirectories(root.resolve("dbfs"));
            Files.createDirectories(root.resolve("volumes"));
            Files.createDirectories(root.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local Databricks in " + root, e);
        }
        HttpServer server = LocalHttp.create("local Databricks", port);
        LocalDatabricks databricks = new LocalDatabricks(server, root, maxConcurrentRuns);
        server.createContext("/", databricks::handle);
        server.start();
        databricks.runs.baseUrl(databricks.url().toString());
        return databricks;
    }

    /** The workspace URL: {@code http://127.0.0.1:<port>}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * This start's token, which every request must bring as {@code Authorization: Bearer <token>}: the personal
     * access token a real workspace would show its user once.
     */
    public String token() {
        return token;
    }

    /** Where DBFS files live: {@code dbfs:/a/b.jar} is {@code dbfsRoot()/a/b.jar}. */
    public Path dbfsRoot() {
        return root.resolve("dbfs");
    }

    /**
     * The local file of a Databricks path: {@code dbfs:/a/b} and {@code /a/b} are {@code root/dbfs/a/b};
     * {@code /Volumes/c/s/v/x} (also as {@code dbfs:/Volumes/...}, as on Databricks) is {@code root/volumes/c/s/v/x}.
     *
     * @throws IllegalArgumentException for a relative path, a {@code ..} or {@code .} segment, a control character
     *     (NUL...), or a volume path without catalog, schema and volume
     */
    public Path localPath(String databricksPath) {
        String path = databricksPath.startsWith("dbfs:") ? databricksPath.substring("dbfs:".length()) : databricksPath;
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("'" + databricksPath + "' is not an absolute path (dbfs:/... or /...)");
        }
        if (path.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("'" + databricksPath.replaceAll("\\p{Cntrl}", "?")
                    + "' has a control character (NUL...)");
        }
        List<String> segments = Stream.of(path.split("/")).filter(segment -> !segment.isEmpty()).toList();
        // a dot segment also when its dots are still percent-encoded: a path decoded once more on its way (a client,
        // a proxy) must not become one
        if (segments.stream().map(segment -> ENCODED_DOT.matcher(segment).replaceAll("."))
                .anyMatch(segment -> segment.equals("..") || segment.equals("."))) {
            throw new IllegalArgumentException("'" + databricksPath + "' has a '..' or '.' segment");
        }
        Path base = dbfsRoot();
        List<String> rest = segments;
        if (!segments.isEmpty() && segments.get(0).equals("Volumes")) {
            if (segments.size() < 4) {
                throw new IllegalArgumentException("'" + databricksPath + "' is not /Volumes/<catalog>/<schema>/<volume>/...");
            }
            base = root.resolve("volumes");
            rest = segments.subList(1, segments.size());
        }
        Path local = base;
        try {
            for (String segment : rest) {
                local = local.resolve(segment);
            }
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + databricksPath + "' is not a path here: " + e.getReason());
        }
        // the checks above already keep it inside: this says so where the path is made
        if (!local.normalize().startsWith(base)) {
            throw new IllegalArgumentException("'" + databricksPath + "' is outside the workspace");
        }
        return local;
    }

    /** Stops the server, cancels the waiting runs and kills the running ones' JVMs. */
    @Override
    public void close() {
        LocalHttp.stop(server);
        runs.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                if (!LocalHttp.fromLoopbackHost(exchange)) {
                    throw new DatabricksError(403, "PERMISSION_DENIED", "Host " + LocalHttp.host(exchange)
                            + " is not this machine's loopback: this workspace answers requests to 127.0.0.1, localhost"
                            + " or [::1] only");
                }
                checkToken(exchange.getRequestHeaders().getFirst("Authorization"));
                route(exchange);
            } catch (DatabricksError e) {
                sendError(exchange, e);
            } catch (RuntimeException e) {
                sendError(exchange, new DatabricksError(500, "INTERNAL_ERROR", String.valueOf(e)));
            }
        }
    }

    private void checkToken(String authorization) {
        if (authorization == null) {
            throw new DatabricksError(401, "UNAUTHENTICATED",
                    "a token is required: Authorization: Bearer <the token shown when this workspace started>");
        }
        // compared in constant time: the answer's timing says nothing of how much of a guess was right
        if (!MessageDigest.isEqual(authorization.getBytes(StandardCharsets.UTF_8),
                ("Bearer " + token).getBytes(StandardCharsets.UTF_8))) {
            throw new DatabricksError(401, "UNAUTHENTICATED", "Invalid access token.");
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (path.startsWith("/api/2.0/fs/files/")) {
            files(exchange, method, path.substring("/api/2.0/fs/files".length()));
            return;
        }
        if (path.startsWith("/api/2.0/fs/directories/")) {
            requireMethod(method, "PUT");
            Path dir = volumePath(path.substring("/api/2.0/fs/directories".length()));
            mkdirs(dir, path);
            sendJson(exchange, 200, JSON.createObjectNode());
            return;
        }
        String jobsPath = path.replaceFirst("^/api/2\\.[12]/jobs/", "/jobs/");
        Map<String, String> query = query(exchange);
        JsonNode body = method.equals("POST") ? body(exchange, jobsPath) : JSON.createObjectNode();
        ObjectNode answer = switch (method + " " + jobsPath) {
            case "POST /jobs/runs/submit" -> JSON.createObjectNode().put("run_id", runs.submit(body));
            case "GET /jobs/runs/get" -> runs.get(runId(query.get("run_id")));
            case "GET /jobs/runs/get-output" -> runs.output(runId(query.get("run_id")));
            case "POST /jobs/runs/cancel" -> {
                runs.cancel(runId(body.path("run_id").asText(null)));
                yield JSON.createObjectNode();
            }
            case "GET /jobs/runs/list" -> runs.list(Boolean.parseBoolean(query.get("active_only")),
                    Boolean.parseBoolean(query.get("completed_only")), intParam(query, "offset", 0),
                    intParam(query, "limit", 25));
            case "POST /api/2.0/dbfs/put" -> put(body);
            case "POST /api/2.0/dbfs/create" -> create(body);
            case "POST /api/2.0/dbfs/add-block" -> addBlock(body);
            case "POST /api/2.0/dbfs/close" -> closeUpload(body);
            case "GET /api/2.0/dbfs/get-status" -> status(query.get("path"), existing(query.get("path")));
            case "POST /api/2.0/dbfs/mkdirs" -> {
                mkdirs(dbfsPath(text(body, "path")), text(body, "path"));
                yield JSON.createObjectNode();
            }
            case "GET /api/2.0/dbfs/list" -> list(query.get("path"));
            case "GET /api/2.0/dbfs/read" -> read(query);
            case "POST /api/2.0/dbfs/delete" -> delete(body);
            default -> throw new DatabricksError(404, "ENDPOINT_NOT_FOUND", "no API " + method + " " + path
                    + " in the local Databricks");
        };
        sendJson(exchange, 200, answer);
    }

    // ---- DBFS API 2.0 ----

    private ObjectNode put(JsonNode body) throws IOException {
        Path target = dbfsPath(text(body, "path"));
        byte[] contents = block(base64(body.path("contents").asText(""), "contents"));
        checkWritable(target, text(body, "path"), body.path("overwrite").asBoolean(false));
        Path temp = Files.createTempFile(root.resolve("tmp"), "put", ".part");
        Files.write(temp, contents);
        moveInPlace(temp, target);
        return JSON.createObjectNode();
    }

    private ObjectNode create(JsonNode body) throws IOException {
        String path = text(body, "path");
        Path target = dbfsPath(path);
        checkWritable(target, path, body.path("overwrite").asBoolean(false));
        // The blocks go to a temporary file that close() moves into place: nobody sees half a jar.
        long handle = nextHandle.getAndIncrement();
        uploads.put(handle, new Upload(target, Files.createTempFile(root.resolve("tmp"), "upload", ".part")));
        return JSON.createObjectNode().put("handle", handle);
    }

    private ObjectNode addBlock(JsonNode body) throws IOException {
        Upload upload = upload(body);
        byte[] data = block(base64(text(body, "data"), "data"));
        synchronized (upload) {
            Files.write(upload.temp(), data, java.nio.file.StandardOpenOption.APPEND);
        }
        return JSON.createObjectNode();
    }

    private ObjectNode closeUpload(JsonNode body) throws IOException {
        Upload upload = upload(body);
        uploads.remove(body.path("handle").asLong());
        moveInPlace(upload.temp(), upload.target());
        return JSON.createObjectNode();
    }

    private Upload upload(JsonNode body) {
        Upload upload = uploads.get(body.path("handle").asLong(-1));
        if (upload == null) {
            throw DatabricksError.notFound("no open upload with handle " + body.path("handle"));
        }
        return upload;
    }

    private ObjectNode list(String path) throws IOException {
        Path local = existing(path);
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode files = answer.putArray("files");
        if (!Files.isDirectory(local)) {
            files.add(status(path, local));
            return answer;
        }
        String prefix = normalized(path);
        try (Stream<Path> children = Files.list(local)) {
            for (Path child : children.sorted().toList()) {
                files.add(status((prefix.endsWith("/") ? prefix : prefix + "/") + child.getFileName(), child));
            }
        }
        return answer;
    }

    private ObjectNode read(Map<String, String> query) throws IOException {
        Path local = existing(query.get("path"));
        if (Files.isDirectory(local)) {
            throw DatabricksError.invalid(query.get("path") + " is a directory");
        }
        long offset = intParam(query, "offset", 0);
        int length = intParam(query, "length", 512 * 1024);
        if (length > MAX_BLOCK_BYTES) {
            throw new DatabricksError(400, "MAX_READ_SIZE_EXCEEDED", "a read is at most 1 MB, asked " + length + " bytes");
        }
        byte[] bytes;
        try (RandomAccessFile file = new RandomAccessFile(local.toFile(), "r")) {
            long available = Math.max(0, file.length() - offset);
            bytes = new byte[(int) Math.min(length, available)];
            file.seek(Math.min(offset, file.length()));
            file.readFully(bytes);
        }
        return JSON.createObjectNode().put("bytes_read", bytes.length)
                .put("data", Base64.getEncoder().encodeToString(bytes));
    }

    private ObjectNode delete(JsonNode body) throws IOException {
        Path local = dbfsPath(text(body, "path"));
        if (local.equals(dbfsRoot())) {
            throw DatabricksError.invalid("refusing to delete the DBFS root (" + text(body, "path") + ")");
        }
        if (!Files.exists(local)) {
            // Databricks answers a delete of nothing with success
            return JSON.createObjectNode();
        }
        if (Files.isDirectory(local) && !body.path("recursive").asBoolean(false)) {
            try (Stream<Path> children = Files.list(local)) {
                if (children.findAny().isPresent()) {
                    throw new DatabricksError(400, "IO_ERROR", text(body, "path") + " is a non-empty directory; "
                            + "set recursive to delete it");
                }
            }
        }
        FileTree.delete(local);
        return JSON.createObjectNode();
    }

    private ObjectNode status(String path, Path local) throws IOException {
        boolean dir = Files.isDirectory(local);
        return JSON.createObjectNode()
                .put("path", normalized(path))
                .put("is_dir", dir)
                .put("file_size", dir ? 0 : Files.size(local))
                .put("modification_time", Files.getLastModifiedTime(local).toMillis());
    }

    private Path existing(String path) {
        Path local = dbfsPath(path);
        if (!Files.exists(local)) {
            throw DatabricksError.notFound("No file or directory exists on path " + normalized(path) + ".");
        }
        return local;
    }

    // ---- Files API (Unity Catalog volumes) ----

    private void files(HttpExchange exchange, String method, String path) throws IOException {
        Path local = volumePath(path);
        switch (method) {
            case "PUT" -> {
                String overwrite = query(exchange).getOrDefault("overwrite", "true");
                if (Files.exists(local) && !Boolean.parseBoolean(overwrite)) {
                    throw new DatabricksError(409, "ALREADY_EXISTS", "The file being created already exists: " + path);
                }
                if (Files.isDirectory(local)) {
                    throw DatabricksError.invalid(path + " is a directory");
                }
                Path temp = Files.createTempFile(root.resolve("tmp"), "file", ".part");
                try (InputStream in = LocalHttp.body(exchange, MAX_FILE_BYTES)) {
                    Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                    moveInPlace(temp, local);
                } catch (LocalHttp.BodyTooLarge e) {
                    throw tooLarge("a file uploaded here is at most " + MAX_FILE_BYTES + " bytes");
                } finally {
                    Files.deleteIfExists(temp);
                }
                exchange.sendResponseHeaders(204, -1);
            }
            case "HEAD", "GET" -> {
                if (!Files.isRegularFile(local)) {
                    throw new DatabricksError(404, "NOT_FOUND", "The file being accessed is not found: " + path);
                }
                exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                exchange.getResponseHeaders().set("Last-Modified", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                        .format(Files.getLastModifiedTime(local).toInstant().atZone(java.time.ZoneOffset.UTC)));
                if (method.equals("HEAD")) {
                    // the JDK server sends no length of its own for HEAD: the header is the answer
                    exchange.getResponseHeaders().set("Content-Length", String.valueOf(Files.size(local)));
                    exchange.sendResponseHeaders(200, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, Files.size(local));
                try (OutputStream out = exchange.getResponseBody()) {
                    Files.copy(local, out);
                }
            }
            default -> throw new DatabricksError(405, "METHOD_NOT_ALLOWED", method + " is not supported on files here");
        }
    }

    private Path volumePath(String path) {
        if (!path.startsWith("/Volumes/")) {
            throw DatabricksError.invalid("'" + path + "' is not a volume path /Volumes/<catalog>/<schema>/<volume>/...");
        }
        return dbfsPath(path);
    }

    // ---- shared ----

    private Path dbfsPath(String path) {
        if (path == null || path.isEmpty()) {
            throw DatabricksError.invalid("path is required");
        }
        try {
            return localPath(path);
        } catch (IllegalArgumentException e) {
            throw DatabricksError.invalid("path: " + e.getMessage());
        }
    }

    private void mkdirs(Path dir, String path) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw DatabricksError.alreadyExists("A file or directory already exists at the input path " + path + ".");
        }
        Files.createDirectories(dir);
    }

    private static void checkWritable(Path target, String path, boolean overwrite) {
        if (Files.isDirectory(target)) {
            throw DatabricksError.alreadyExists("A directory already exists at the input path " + path + ".");
        }
        if (Files.exists(target) && !overwrite) {
            throw DatabricksError.alreadyExists("A file or directory already exists at the input path " + path + ".");
        }
    }

    private static void moveInPlace(Path temp, Path target) throws IOException {
        try {
            Files.createDirectories(target.getParent());
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(temp);
            throw DatabricksError.alreadyExists("a file is in the way of " + target.getParent().getFileName());
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A DBFS path as Databricks echoes it: {@code /a/b}, without {@code dbfs:}. */
    private static String normalized(String path) {
        return path.startsWith("dbfs:") ? path.substring("dbfs:".length()) : path;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw DatabricksError.invalid(field + " is required");
        }
        return value.asText();
    }

    /** DBFS data of one call ({@code put}'s contents, a block): at most 1 MB, as on Databricks. */
    private static byte[] block(byte[] data) {
        if (data.length > MAX_BLOCK_BYTES) {
            throw blockTooLarge(data.length + " bytes");
        }
        return data;
    }

    private static DatabricksError blockTooLarge(String got) {
        return new DatabricksError(400, "MAX_BLOCK_SIZE_EXCEEDED", "a block of data is at most 1 MB, got " + got);
    }

    private static DatabricksError tooLarge(String message) {
        return new DatabricksError(413, "REQUEST_ENTITY_TOO_LARGE", message);
    }

    private static byte[] base64(String text, String field) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw DatabricksError.invalid(field + " is not base64: " + e.getMessage());
        }
    }

    private static long runId(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw DatabricksError.invalid("run_id: '" + text + "' is not a run id");
        }
    }

    private static int intParam(Map<String, String> query, String name, int defaultValue) {
        String text = query.get(name);
        if (text == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the parameter's name
        }
        throw DatabricksError.invalid(name + ": '" + text + "' is not a whole number >= 0");
    }

    private static void requireMethod(String method, String expected) {
        if (!method.equals(expected)) {
            throw new DatabricksError(405, "METHOD_NOT_ALLOWED", method + " is not supported here, only " + expected);
        }
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> params = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            try {
                params.put(URLDecoder.decode(key, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw DatabricksError.invalid("the query is not URL-encoded: " + e.getMessage());
            }
        }
        return params;
    }

    /** A POST's JSON body, read through the cap of its endpoint. */
    private static JsonNode body(HttpExchange exchange, String jobsPath) throws IOException {
        boolean block = jobsPath.equals("/api/2.0/dbfs/put") || jobsPath.equals("/api/2.0/dbfs/add-block");
        byte[] bytes;
        try (InputStream in = LocalHttp.body(exchange, block ? MAX_BLOCK_REQUEST_BYTES : MAX_JSON_REQUEST_BYTES)) {
            bytes = in.readAllBytes();
        } catch (LocalHttp.BodyTooLarge e) {
            throw block ? blockTooLarge("a request of more than " + MAX_BLOCK_REQUEST_BYTES + " bytes")
                    : tooLarge("a JSON request here is at most " + MAX_JSON_REQUEST_BYTES + " bytes");
        }
        if (bytes.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode body = JSON.readTree(bytes);
            if (!body.isObject()) {
                throw new DatabricksError(400, "MALFORMED_REQUEST", "the body is not a JSON object");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw new DatabricksError(400, "MALFORMED_REQUEST", "the body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static void sendError(HttpExchange exchange, DatabricksError error) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("error_code", error.errorCode).put("message", error.getMessage());
        LocalHttp.refuse(exchange, error.status, JSON.writeValueAsBytes(body));
    }

    private static String newToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "dapi" + HexFormat.of().formatHex(bytes);
    }

    private static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
