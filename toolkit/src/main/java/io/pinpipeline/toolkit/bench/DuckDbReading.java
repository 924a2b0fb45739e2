package io.pinpipeline.toolkit.bench;

import io.pinpipeline.jobs.clean.Quarantine;
import io.pinpipeline.jobs.metrics.GoldTables;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.toolkit.files.FileTree;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A second, independent reading of SPEC 2, 4 and 5 in DuckDB SQL: from the landed lines that a batch run for a date
 * reads to the three silver tables, the quarantine and the nine gold tables, in an in-memory database with two
 * threads. The SQL is in {@code src/main/resources/duckdb/*.sql}, written from SPEC, not from the Spark code, so
 * that where the two agree the contract has been read the same way twice.
 *
 * <pre>{@code try (DuckDbReading duck = DuckDbReading.run(DuckDbReading.landedFiles(settings, date), settings.maxLineBytes())) {
 *     duck.columns("pin");  // [ind BIGINT, unique_id STRING, ...]
 * }}</pre>
 *
 * <p>What it does not read: {@code *.json.gz} files, and files that are not valid UTF-8 (DuckDB's {@code read_text}
 * refuses them), both of which the Spark jobs take; {@link #landedFiles} fails on the first, DuckDB on the second.
 */
public final class DuckDbReading implements AutoCloseable {
    /** The SQL scripts, in the order they run: field rules, records, silver and quarantine, gold. */
    static final List<String> SCRIPTS = List.of("1-rules.sql", "2-records.sql", "3-silver.sql", "4-gold.sql");
    /** The scripts up to silver and quarantine: the "landing to silver" part of the timing. */
    private static final int SILVER_SCRIPTS = 3;

    private final Connection connection;
    private final double silverSeconds;
    private final double goldSeconds;

    private DuckDbReading(Connection connection, double silverSeconds, double goldSeconds) {
        this.connection = connection;
        this.silverSeconds = silverSeconds;
        this.goldSeconds = goldSeconds;
    }

    /** Every table the reading makes: silver, gold, then {@code quarantine}. */
    public static List<String> tables() {
        List<String> tables = new ArrayList<>();
        for (RecordKind kind : RecordKind.values()) {
            tables.add(kind.silverTable());
        }
        tables.addAll(GoldTables.ALL);
        tables.add(Quarantine.TABLE);
        return List.copyOf(tables);
    }

    /**
     * The files a batch run for {@code date} reads, by kind, as {@code Lake.landedLines} finds them: below the
     * {@code dt=} folders of the date and of the {@code landing.lateness-days} days before it (the whole topic for
     * {@code all}), the files named {@code *.json} with no hidden name ({@code .} or {@code _}) below the folder.
     *
     * @throws IllegalArgumentException for a {@code *.json.gz} file: this reading does not decompress
     */
    public static Map<RecordKind, List<Path>> landedFiles(Settings settings, LandingDate date) {
        Map<RecordKind, List<Path>> files = new EnumMap<>(RecordKind.class);
        for (RecordKind kind : RecordKind.values()) {
            Path topic = localPath(settings.landingRoot()).resolve("topics").resolve(kind.topic(settings.prefix()));
            List<Path> folders = date.isAll() ? List.of(topic)
                    : date.withDaysBefore(settings.latenessDays()).stream().map(day -> topic.resolve("dt=" + day)).toList();
            List<Path> found = new ArrayList<>();
            for (Path folder : folders) {
                found.addAll(landingFiles(folder));
            }
            files.put(kind, List.copyOf(found));
        }
        return files;
    }

    /**
     * Runs the scripts over the files ({@link #landedFiles}) with the line limit {@code maxLineBytes}
     * ({@code landing.max-line-bytes}), timed from opening the connection to the last gold table.
     */
    public static DuckDbReading run(Map<RecordKind, List<Path>> files, int maxLineBytes) {
        long started = System.nanoTime();
        Connection connection = null;
        try {
            connection = DriverManager.getConnection("jdbc:duckdb:");
            try (Statement statement = connection.createStatement()) {
                // two threads, as the bench machine has two cores and Spark runs local[2] there
                statement.execute("SET threads = 2");
                // no query here depends on the order of rows: let DuckDB drop it where that is faster
                statement.execute("SET preserve_insertion_order = false");
            }
            Map<String, String> parameters = Map.of(
                    "pin_files", readText(files.get(RecordKind.PIN)),
                    "geo_files", readText(files.get(RecordKind.GEO)),
                    "user_files", readText(files.get(RecordKind.USER)),
                    "max_line_bytes", Integer.toString(maxLineBytes));
            double silverSeconds = 0;
            for (int i = 0; i < SCRIPTS.size(); i++) {
                for (String statement : statements(substitute(script(SCRIPTS.get(i)), parameters))) {
                    try (Statement sql = connection.createStatement()) {
                        sql.execute(statement);
                    }
                }
                if (i == SILVER_SCRIPTS - 1) {
                    silverSeconds = (System.nanoTime() - started) / 1e9;
                }
            }
            return new DuckDbReading(connection, silverSeconds, (System.nanoTime() - started) / 1e9 - silverSeconds);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new IllegalStateException("DuckDB reading failed: " + e.getMessage(), e);
        }
    }

    /** Seconds from opening the connection to the last silver (and quarantine) table. */
    public double silverSeconds() {
        return silverSeconds;
    }

    /** Seconds from the silver tables to the last gold table. */
    public double goldSeconds() {
        return goldSeconds;
    }

    /** The table's columns as {@code name TYPE} in SPEC's (and Spark's) type names: BIGINT, INT, STRING, ... */
    public List<String> columns(String table) {
        List<String> columns = new ArrayList<>();
        try (var query = connection.prepareStatement(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position")) {
            query.setString(1, table);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    columns.add(rows.getString(1) + " " + specType(rows.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot describe DuckDB table " + table, e);
        }
        if (columns.isEmpty()) {
            throw new IllegalStateException("DuckDB has no table " + table);
        }
        return columns;
    }

    /**
     * Writes a table to {@code <folder>/<table>.parquet} for Spark to read, and gives the file. TIMESTAMP columns are
     * written as microseconds since the epoch (BIGINT): DuckDB's TIMESTAMP has no zone, and a reader must not put one on it.
     */
    public Path export(String table, Path folder) {
        Path file = folder.resolve(table + ".parquet");
        String select = columns(table).stream().map(column -> {
            String name = column.substring(0, column.indexOf(' '));
            return column.endsWith(" TIMESTAMP") ? "epoch_us(" + quoted(name) + ") AS " + quoted(name) : quoted(name);
        }).collect(Collectors.joining(", "));
        try (Statement statement = connection.createStatement()) {
            Files.createDirectories(folder);
            statement.execute("COPY (SELECT " + select + " FROM " + quoted(table) + ") TO '" + sqlText(file.toString())
                    + "' (FORMAT parquet)");
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot export DuckDB table " + table + " to " + file, e);
        }
        return file;
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    /** DuckDB's type names as SPEC writes them (and Spark's {@code DataType.sql()}). */
    static String specType(String duckDbType) {
        return switch (duckDbType) {
            case "BIGINT" -> "BIGINT";
            case "INTEGER" -> "INT";
            case "VARCHAR" -> "STRING";
            case "DOUBLE" -> "DOUBLE";
            case "DOUBLE[]" -> "ARRAY<DOUBLE>";
            case "TIMESTAMP" -> "TIMESTAMP";
            case "DATE" -> "DATE";
            default -> "DuckDB " + duckDbType;
        };
    }

    /** The statements of a script: each ends with a semicolon at the end of a line. */
    static List<String> statements(String script) {
        return Stream.of(script.split(";[ \\t]*(\\r?\\n|$)"))
                .map(String::strip)
                .filter(statement -> !statement.lines().allMatch(line -> line.isBlank() || line.strip().startsWith("--")))
                .toList();
    }

    static String substitute(String script, Map<String, String> parameters) {
        String result = script;
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            result = result.replace("${" + parameter.getKey() + "}", parameter.getValue());
        }
        if (result.contains("${")) {
            throw new IllegalStateException("a parameter of the DuckDB SQL is not set: "
                    + result.substring(result.indexOf("${"), Math.min(result.length(), result.indexOf("${") + 30)));
        }
        return result;
    }

    /** {@code read_text([...])} of the files, or an empty relation of the same columns when there are none. */
    private static String readText(List<Path> files) {
        if (files.isEmpty()) {
            return "(SELECT NULL::VARCHAR AS filename, NULL::VARCHAR AS content WHERE false)";
        }
        return files.stream().map(file -> "'" + sqlText(file.toAbsolutePath().toString()) + "'")
                .collect(Collectors.joining(", ", "read_text([", "])"));
    }

    private static List<Path> landingFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> files = FileTree.regularFiles(folder).stream()
                .filter(file -> !hidden(folder.relativize(file)))
                .toList();
        for (Path file : files) {
            if (file.getFileName().toString().endsWith(".json.gz")) {
                throw new IllegalArgumentException("the DuckDB reading does not read compressed landing files: " + file);
            }
        }
        return files.stream().filter(file -> file.getFileName().toString().endsWith(".json")).toList();
    }

    /** As Spark's readers have it: a name below the folder that starts with {@code .} or {@code _} is hidden. */
    private static boolean hidden(Path relative) {
        for (Path name : relative) {
            if (name.toString().startsWith(".") || name.toString().startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    private static Path localPath(String location) {
        return Path.of(location.startsWith("file:") ? java.net.URI.create(location).getPath() : location);
    }

    private static String script(String name) {
        try (InputStream in = DuckDbReading.class.getResourceAsStream("/duckdb/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no resource /duckdb/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String quoted(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String sqlText(String text) {
        return text.replace("'", "''");
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing to do: the database is in memory and goes with the connection
            }
        }
    }
}
