package io.pinpipeline.toolkit.testing;

import io.pinpipeline.toolkit.local.Loopback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A private MariaDB server for integration tests: Debian's {@code mariadbd} (package
 * {@code mariadb-server-core}, which {@code .ci/run} installs), run as a child process on 127.0.0.1 and a free
 * port, with a fresh data directory under {@code target/} that is deleted on {@link #close}. Nothing is
 * installed as a service and no system file is touched.
 *
 * <p>Start-up: {@code mariadb-install-db} writes the system tables (about 0.7 s), then {@code mariadbd
 * --no-defaults} starts with a small buffer pool and no durability (test data), and an init file creates a
 * user {@value #USER} with a password drawn at random for this server, allowed everything, and the database
 * {@value #DATABASE}. Ready in about a second.
 *
 * <pre>{@code try (LocalMariaDb db = LocalMariaDb.start(); Connection c = db.connect()) { ... }}</pre>
 */
public final class LocalMariaDb implements AutoCloseable {
    public static final String USER = "pipeline";
    public static final String DATABASE = "pipeline";

    private static final Duration READY_WITHIN = Duration.ofSeconds(60);
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]*");
    /** A unix socket path must fit in 108 bytes. */
    private static final int MAX_SOCKET_PATH = 100;

    private final Path directory;
    private final Path socketDirectory;
    private final Process server;
    private final int port;
    private final String password;
    private final Thread stopOnExit;

    private LocalMariaDb(Path directory, Path socketDirectory, Process server, int port, String password) {
        this.directory = directory;
        this.socketDirectory = socketDirectory;
        this.server = server;
        this.port = port;
        this.password = password;
        this.stopOnExit = new Thread(server::destroyForcibly, "stop-mariadbd");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** Starts a server in a new directory under {@code target/}; fails with one clear line if MariaDB is missing. */
    public static LocalMariaDb start() {
        Path mariadbd = find("mariadbd", "mysqld");
        Path installDb = find("mariadb-install-db", "mysql_install_db");
        try {
            Path target = Files.createDirectories(Path.of("target"));
            Path directory = Files.createTempDirectory(target.toAbsolutePath(), "mariadb-");
            Path socketDirectory = directory.toString().length() + 20 < MAX_SOCKET_PATH
                    ? directory
                    : Files.createTempDirectory("mariadb-socket-");
            try {
                return start(mariadbd, installDb, directory, socketDirectory);
            } catch (RuntimeException | IOException e) {
                delete(directory);
                delete(socketDirectory);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a local MariaDB", e);
        }
    }

    private static LocalMariaDb start(Path mariadbd, Path installDb, Path directory, Path socketDirectory)
            throws IOException {
        Path data = directory.resolve("data");
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> install = new ArrayList<>(List.of(installDb.toString(), "--no-defaults",
                "--datadir=" + data, "--skip-test-db", "--skip-name-resolve",
                "--innodb-buffer-pool-size=32M", "--innodb-log-file-size=8M"));
        if (root) {
            install.add("--user=root");
        }
        run(install, directory.resolve("install-db.log"));

        String password = randomPassword();
        Path initFile = directory.resolve("init.sql");
        Files.createFile(initFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(initFile, String.join("\n",
                "CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + password + "';",
                "GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'%';",
                "CREATE DATABASE `" + DATABASE + "` CHARACTER SET utf8mb4;",
                ""), StandardCharsets.UTF_8);

        int port = Loopback.freePort();
        List<String> command = new ArrayList<>(List.of(mariadbd.toString(), "--no-defaults",
                "--datadir=" + data,
                "--socket=" + socketDirectory.resolve("mariadbd.sock"),
                "--pid-file=" + directory.resolve("mariadbd.pid"),
                "--log-error=" + directory.resolve("error.log"),
                "--bind-address=127.0.0.1", "--port=" + port, "--skip-name-resolve",
                "--init-file=" + initFile,
                "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
                // small and fast: test data needs neither a big cache nor durability
                "--innodb-buffer-pool-size=32M", "--innodb-log-file-size=8M",
                "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0",
                // io_uring/libaio may be refused in containers; plain I/O works everywhere
                "--innodb-use-native-aio=0",
                "--max-connections=50"));
        if (root) {
            command.add("--user=root");
        }
        Process server = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("mariadbd.out").toFile())
                .start();
        LocalMariaDb db = new LocalMariaDb(directory, socketDirectory, server, port, password);
        try {
            db.awaitReady();
            Files.delete(initFile);
            return db;
        } catch (RuntimeException | IOException e) {
            db.close();
            throw e;
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("mariadbd exited with " + server.exitValue() + " before it was ready: "
                        + tail(directory.resolve("error.log")));
            }
            try {
                connect().close();
                return;
            } catch (SQLException e) {
                last = e;
            }
            sleep(50);
        }
        throw new IllegalStateException("mariadbd was not ready within " + READY_WITHIN.toSeconds() + " s: "
                + (last == null ? "" : last.getMessage()) + "; " + tail(directory.resolve("error.log")));
    }

    public int port() {
        return port;
    }

    /** The test user's password, new for each server. */
    public String password() {
        return password;
    }

    /** {@code user} and {@code password}, for {@code DriverManager} or the JDBC source. */
    public Properties credentials() {
        Properties credentials = new Properties();
        credentials.setProperty("user", USER);
        credentials.setProperty("password", password);
        return credentials;
    }

    /** {@code jdbc:mariadb://127.0.0.1:<port>/<database>}, without credentials. */
    public String url(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
    }

    /** A connection to {@value #DATABASE} as {@value #USER}. */
    public Connection connect() throws SQLException {
        return connect(DATABASE);
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database), credentials());
    }

    /** Creates a database (utf8mb4), so that tests can each have their own tables; returns its URL. */
    public String createDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a test database name is lower case letters, digits and _: " + name);
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the database " + name + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    /** Stops the server (it holds only test data, so without a clean shutdown) and deletes its directory. */
    @Override
    public void close() {
        server.destroyForcibly();
        try {
            server.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
        delete(directory);
        delete(socketDirectory);
    }

    private static Path find(String... names) {
        List<Path> directories = new ArrayList<>();
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!entry.isEmpty()) {
                directories.add(Path.of(entry));
            }
        }
        // mariadbd lives in sbin, which a non-root PATH may lack
        directories.addAll(List.of(Path.of("/usr/sbin"), Path.of("/usr/local/sbin"), Path.of("/usr/bin")));
        for (String name : names) {
            for (Path directory : directories) {
                Path candidate = directory.resolve(name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException(names[0] + " not found: install mariadb-server-core and mariadb-client-core"
                + " (apt-get install mariadb-server-core mariadb-client-core; .ci/run does)");
    }

    private static void run(List<String> command, Path log) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not finish within 60 s: " + tail(log));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(command.get(0) + " failed with " + process.exitValue() + ": " + tail(log));
        }
    }

    private static String randomPassword() {
        SecureRandom random = new SecureRandom();
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder password = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for mariadbd", e);
        }
    }

    private static void delete(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }
}
