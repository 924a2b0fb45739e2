package io.pinpipeline.toolkit.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipeline.jobs.records.Columns;
import io.pinpipeline.jobs.records.RecordKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The original emulator's three source tables on MariaDB or MySQL (SPEC 2, 9), which {@link JdbcPostSource}
 * reads posts from, and a loader that fills them from JSON lines: the real capture, or a user's own lines.
 *
 * <p>Column types, in the capture's field order:
 * <ul>
 *   <li>keys ({@code index}, {@code ind}), {@code downloaded}, {@code age}: {@code INT};</li>
 *   <li>every text field: {@code TEXT}, table character set {@code utf8mb4} whatever the server's default,
 *       so that descriptions ending in {@code …\u00a0} or holding emoji are stored as they are;</li>
 *   <li>{@code timestamp}, {@code date_joined}: {@code DATETIME}, without a zone, like the capture's
 *       {@code yyyy-MM-dd HH:mm:ss} (which is UTC, SPEC 2);</li>
 *   <li>{@code latitude}, {@code longitude}: {@code FLOAT}, as in the original: the capture's coordinates
 *       have at most 6 significant digits, which is what a 4-byte float keeps, and each of them reads back
 *       through {@link JdbcPostSource} as the same JSON number (JdbcPostSourceIT checks all 2,262 rows).</li>
 * </ul>
 * The tables have no primary key: the capture repeats keys (243 of its 2,262 lines), and the loader keeps
 * every line, in the order given.
 *
 * <pre>{@code try (Connection db = DriverManager.getConnection(url, user, password)) { SourceTable.loadCapture(db); }}</pre>
 */
public enum SourceTable {
    PIN("pinterest_data", RecordKind.PIN, Columns.INDEX, Column.integer(Columns.INDEX),
            Column.text(Columns.UNIQUE_ID), Column.text(Columns.TITLE), Column.text(Columns.DESCRIPTION),
            Column.text(Columns.POSTER_NAME), Column.text(Columns.FOLLOWER_COUNT), Column.text(Columns.TAG_LIST),
            Column.text(Columns.IS_IMAGE_OR_VIDEO), Column.text(Columns.IMAGE_SRC), Column.integer(Columns.DOWNLOADED),
            Column.text(Columns.SAVE_LOCATION), Column.text(Columns.CATEGORY)),
    GEO("geolocation_data", RecordKind.GEO, Columns.IND, Column.integer(Columns.IND),
            Column.datetime(Columns.TIMESTAMP), Column.floating(Columns.LATITUDE), Column.floating(Columns.LONGITUDE),
            Column.text(Columns.COUNTRY)),
    USER("user_data", RecordKind.USER, Columns.IND, Column.integer(Columns.IND), Column.text(Columns.FIRST_NAME),
            Column.text(Columns.LAST_NAME), Column.integer(Columns.AGE), Column.datetime(Columns.DATE_JOINED));

    /** The SQL types the tables use. */
    enum ColumnType {
        INT("INT", Types.INTEGER),
        TEXT("TEXT", Types.VARCHAR),
        DATETIME("DATETIME", Types.TIMESTAMP),
        FLOAT("FLOAT", Types.REAL);

        final String sql;
        final int jdbcType;

        ColumnType(String sql, int jdbcType) {
            this.sql = sql;
            this.jdbcType = jdbcType;
        }
    }

    /** One column of a source table. */
    record Column(String name, ColumnType type) {
        static Column integer(String name) {
            return new Column(name, ColumnType.INT);
        }

        static Column text(String name) {
            return new Column(name, ColumnType.TEXT);
        }

        static Column datetime(String name) {
            return new Column(name, ColumnType.DATETIME);
        }

        static Column floating(String name) {
            return new Column(name, ColumnType.FLOAT);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter DATETIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern DIGITS = Pattern.compile("-?[0-9]{1,10}");
    private static final int ROWS_PER_BATCH = 500;

    private final String tableName;
    private final RecordKind kind;
    private final String key;
    private final List<Column> columns;

    SourceTable(String tableName, RecordKind kind, String key, Column... columns) {
        this.tableName = tableName;
        this.kind = kind;
        this.key = key;
        this.columns = List.of(columns);
    }

    /** The table's name in the source database: {@code pinterest_data}, {@code geolocation_data}, {@code user_data}. */
    public String tableName() {
        return tableName;
    }

    /** The record kind the table's rows are sent as. */
    public RecordKind kind() {
        return kind;
    }

    /** The key column: {@code index} for pins, {@code ind} for geo and user. */
    public String key() {
        return key;
    }

    List<Column> columns() {
        return columns;
    }

    /** The table's {@code CREATE TABLE} statement. */
    public String createStatement() {
        String body = columns.stream()
                .map(column -> quote(column.name()) + " " + column.type().sql)
                .collect(Collectors.joining(", "));
        return "CREATE TABLE " + quote(tableName) + " (" + body + ") CHARACTER SET utf8mb4";
    }

    /**
     * Creates the three tables in the connection's database; fails, naming the table, if one exists already
     * (the loader never drops a table).
     */
    public static void createAll(Connection connection) {
        for (SourceTable table : values()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(table.createStatement());
            } catch (SQLException e) {
                throw new SourceException("cannot create the source table " + table.tableName + ": " + e.getMessage()
                        + " (drop it, or load into another database)", e);
            }
        }
    }

    /**
     * Creates the three tables and loads the real capture into them from the classpath ({@code capture/*.jsonl}),
     * 2,262 rows each, in capture order. Returns the rows loaded per table.
     */
    public static Map<SourceTable, Integer> loadCapture(Connection connection) {
        createAll(connection);
        Map<SourceTable, Integer> loaded = new EnumMap<>(SourceTable.class);
        for (SourceTable table : values()) {
            loaded.put(table, table.load(connection, CaptureSample.lines(table.captureResource())));
        }
        return loaded;
    }

    /** The capture of this table's kind on the classpath: {@code /capture/pin.jsonl} and so on. */
    String captureResource() {
        return "/capture/" + kind.label() + ".jsonl";
    }

    /**
     * Appends one row per JSON line to this table, in order, in one transaction; returns the rows added.
     * A field the table lacks is ignored and a missing field is NULL; a pin may carry its key as {@code ind}.
     * Integers are JSON integers or strings of digits, datetimes {@code yyyy-MM-dd HH:mm:ss}, floats JSON
     * numbers; anything else fails the whole load, naming the line and the field.
     */
    public int load(Connection connection, List<String> lines) {
        String sql = "INSERT INTO " + quote(tableName) + " ("
                + columns.stream().map(column -> quote(column.name())).collect(Collectors.joining(", "))
                + ") VALUES (" + columns.stream().map(column -> "?").collect(Collectors.joining(", ")) + ")";
        try {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                int pending = 0;
                for (int line = 0; line < lines.size(); line++) {
                    bindRow(insert, lines.get(line), line + 1);
                    insert.addBatch();
                    if (++pending == ROWS_PER_BATCH) {
                        insert.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    insert.executeBatch();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new SourceException("cannot load " + tableName + ": " + e.getMessage(), e);
        }
        return lines.size();
    }

    private void bindRow(PreparedStatement insert, String line, int lineNumber) throws SQLException {
        JsonNode record;
        try {
            record = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new SourceException(tableName + " line " + lineNumber + ": not JSON: " + e.getOriginalMessage());
        }
        if (record == null || !record.isObject()) {
            throw new SourceException(tableName + " line " + lineNumber + ": not a JSON object");
        }
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            JsonNode value = record.get(column.name());
            if (this == PIN && column.name().equals(Columns.INDEX) && (value == null || value.isNull())) {
                value = record.get(Columns.IND);
            }
            int parameter = i + 1;
            if (value == null || value.isNull()) {
                insert.setNull(parameter, column.type().jdbcType);
                continue;
            }
            switch (column.type()) {
                case INT -> insert.setLong(parameter, integer(value, column, lineNumber));
                case TEXT -> insert.setString(parameter, text(value, column, lineNumber));
                case DATETIME -> insert.setObject(parameter, datetime(value, column, lineNumber));
                case FLOAT -> insert.setFloat(parameter, number(value, column, lineNumber));
                default -> throw new IllegalStateException(column.type().name());
            }
        }
    }

    private long integer(JsonNode value, Column column, int line) {
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return value.asLong();
        }
        if (value.isTextual() && DIGITS.matcher(value.asText()).matches()) {
            long parsed = Long.parseLong(value.asText());
            if (parsed == (int) parsed) {
                return parsed;
            }
        }
        throw badValue(value, column, line, "an INT");
    }

    private String text(JsonNode value, Column column, int line) {
        if (value.isContainerNode()) {
            throw badValue(value, column, line, "text");
        }
        return value.asText();
    }

    private LocalDateTime datetime(JsonNode value, Column column, int line) {
        try {
            if (value.isTextual()) {
                return LocalDateTime.parse(value.asText(), DATETIME);
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw badValue(value, column, line, "a datetime yyyy-MM-dd HH:mm:ss");
    }

    private float number(JsonNode value, Column column, int line) {
        if (value.isNumber()) {
            return (float) value.asDouble();
        }
        throw badValue(value, column, line, "a number");
    }

    private SourceException badValue(JsonNode value, Column column, int line, String expected) {
        return new SourceException(tableName + " line " + line + ": " + column.name() + " is not " + expected
                + ": " + value);
    }

    /** A MariaDB/MySQL identifier in backquotes ({@code index} is a reserved word). */
    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
