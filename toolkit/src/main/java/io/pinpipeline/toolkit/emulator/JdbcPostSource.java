package io.pinpipeline.toolkit.emulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.pinpipeline.jobs.records.Columns;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Properties;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Posts read over JDBC from the original emulator's three source tables, {@code pinterest_data},
 * {@code geolocation_data} and {@code user_data} (SPEC 9), the way the original read them: for each post one
 * row offset drawn at random, with replacement, and the row at that offset of each of the three tables.
 *
 * <ul>
 *   <li>The original ran {@code SELECT * FROM <table> LIMIT <random_row>, 1} without {@code ORDER BY}, so the
 *       row at an offset was whichever the server happened to return. Here each table is read in a stable
 *       order, by its key and then by its other columns in table order, so the same tables and seed give the
 *       same posts on any server and after any reorganisation. Rows equal in every column are the same record
 *       whichever comes first.</li>
 *   <li>Offsets are uniform over the tables' rows, from the emulator's seeded {@link SplitMix64} (the same
 *       seed gives the same posts on every JDK); the original drew {@code random.randint(0, 11000)} whatever
 *       the table size.</li>
 *   <li>Each {@link #posts} call connects, counts the rows once (the three tables must hold the same number,
 *       as the original's did), then reads the rows of {@value #BATCH} posts at a time with one prepared
 *       statement per table: {@code ROW_NUMBER() OVER (ORDER BY <key>, <other columns>)} numbers the rows and
 *       {@code IN (?, ...)} picks the drawn ones, so one sort serves a whole batch where {@code LIMIT ?, 1}
 *       would sort the table for every row (MySQL 8 or MariaDB 10.2 and later). The three rows at an offset
 *       must have the same key: {@link Post#ind} is the pin's {@code index} (or its {@code ind}, for a
 *       {@code pinterest_data} without an {@code index} column).</li>
 *   <li>A row is sent as one single-line JSON object written by Jackson, the column names as keys in table
 *       order, each value typed as stored: integers as JSON integers (a {@code BOOLEAN}/{@code TINYINT(1)} as
 *       0 or 1, as the original's Python driver gave it); {@code FLOAT} and {@code DOUBLE} as the shortest
 *       decimal that reads back as the stored value, with at least one decimal ({@code -89.9787},
 *       {@code 12.0}), which is what the original's Python floats printed; {@code DECIMAL} as a plain number;
 *       text as strings; {@code DATETIME}/{@code TIMESTAMP} as {@code yyyy-MM-dd HH:mm:ss}, like the
 *       original's {@code str()} (a fraction of a second is dropped: SPEC 2 reads no fraction after a
 *       space); {@code DATE} as {@code yyyy-MM-dd}; {@code TIME} as the server writes it; NULL as null. A
 *       column of any other type (a BLOB, BINARY, a multi-bit BIT) stops the run before the first post,
 *       named.</li>
 * </ul>
 *
 * <p>URLs: {@code jdbc:mariadb://host:3306/database} for MariaDB, or {@code jdbc:mysql://host:3306/database}
 * for MySQL (e.g. the original's RDS); both go to the MariaDB driver, and this class adds the driver's
 * {@code permitMysqlScheme} flag to the latter itself. Driver options may follow as usual
 * ({@code ?connectTimeout=5000}). The user and password are the URL's own {@code user=} and
 * {@code password=} if it has them, and otherwise the given credentials: the command line passes
 * {@value #USER_VARIABLE} and {@value #PASSWORD_VARIABLE} ({@link #credentialsFrom}). They are never in
 * settings, and no error message holds a password.
 *
 * <p>The stream holds one connection, closed after the last post or when the stream is closed: close it
 * (try-with-resources) if you may stop early.
 *
 * <pre>{@code
 * try (Stream<Post> posts = new JdbcPostSource(url, JdbcPostSource.credentialsFrom(System.getenv()), 42).posts(1_000)) {
 *     posts.forEach(post -> ...);
 * }}</pre>
 */
public final class JdbcPostSource implements PostSource {
    /** The environment variable holding the database user, when the URL has none. */
    public static final String USER_VARIABLE = "PIPELINE_JDBC_USER";
    /** The environment variable holding the database password, when the URL has none. */
    public static final String PASSWORD_VARIABLE = "PIPELINE_JDBC_PASSWORD";

    static final String USER = "user";
    static final String PASSWORD = "password";
    private static final String MARIADB_SCHEME = "jdbc:mariadb:";
    private static final String MYSQL_SCHEME = "jdbc:mysql:";
    private static final String PERMIT_MYSQL_SCHEME = "permitMysqlScheme";
    /** Keeps the offsets an independent stream of the seed (as the generator's streams are). */
    private static final long OFFSET_STREAM = 0x4a4442435f524f57L;
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("([?&]" + PASSWORD + "=)[^&]*");
    private static final Driver DRIVER = new org.mariadb.jdbc.Driver();
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();
    /** Offsets read with one query per table. */
    static final int BATCH = 100;
    private static final String OFFSET_COLUMN = "`jdbc_post_source_offset`";
    private static final DateTimeFormatter DATETIME_TEXT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    private final String url;
    private final Properties credentials = new Properties();
    private final String user;
    private final List<String> secrets = new ArrayList<>();
    private final long seed;

    /**
     * @param url         {@code jdbc:mariadb://...} or {@code jdbc:mysql://...}
     * @param credentials {@code user} and {@code password}, used for those the URL does not set itself; may be empty
     * @param seed        the same seed and tables give the same posts
     */
    public JdbcPostSource(String url, Properties credentials, long seed) {
        if (url == null || !(url.startsWith(MARIADB_SCHEME) || url.startsWith(MYSQL_SCHEME))) {
            throw new IllegalArgumentException("the JDBC source needs a " + MARIADB_SCHEME + "//host:port/database or "
                    + MYSQL_SCHEME + "//host:port/database URL, not " + (url == null ? null : redact(url)));
        }
        Map<String, String> parameters = parameters(url);
        this.url = url.startsWith(MYSQL_SCHEME) && !parameters.containsKey(PERMIT_MYSQL_SCHEME)
                ? url + (url.contains("?") ? "&" : "?") + PERMIT_MYSQL_SCHEME
                : url;
        for (String name : List.of(USER, PASSWORD)) {
            String value = credentials.getProperty(name);
            if (!parameters.containsKey(name) && value != null) {
                this.credentials.setProperty(name, value);
            }
        }
        this.user = parameters.containsKey(USER) ? parameters.get(USER) : this.credentials.getProperty(USER);
        for (String password : new String[] {parameters.get(PASSWORD), this.credentials.getProperty(PASSWORD)}) {
            if (password != null && !password.isEmpty()) {
                secrets.add(password);
            }
        }
        this.seed = seed;
    }

    /** {@code user} and {@code password} from {@value #USER_VARIABLE} and {@value #PASSWORD_VARIABLE}, those that are set. */
    public static Properties credentialsFrom(Map<String, String> environment) {
        Properties credentials = new Properties();
        String user = environment.get(USER_VARIABLE);
        String password = environment.get(PASSWORD_VARIABLE);
        if (user != null) {
            credentials.setProperty(USER, user);
        }
        if (password != null) {
            credentials.setProperty(PASSWORD, password);
        }
        return credentials;
    }

    public long seed() {
        return seed;
    }

    /** The URL with any password in it replaced by {@code ***}. */
    @Override
    public String toString() {
        return redact(url);
    }

    /**
     * {@code count} posts, in sending order, read lazily. Connects and checks the tables now, so a bad URL,
     * a refused login or unequal tables fail here with a {@link SourceException}, before the first post.
     */
    @Override
    public Stream<Post> posts(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("posts: " + count + " is negative");
        }
        Reader reader = open();
        if (count > 0 && reader.rows() == 0) {
            reader.close();
            throw new SourceException("the source tables at " + this + " are empty: there is no post to send");
        }
        Iterator<Post> draws = new Draws(reader, count);
        return StreamSupport.stream(Spliterators.spliterator(draws, count,
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE), false)
                .onClose(reader::close);
    }

    /** The row offsets a run of this seed reads, in order, for tables of {@code rows} rows. */
    static Iterator<Integer> offsets(long seed, int rows) {
        SplitMix64 random = new SplitMix64(SplitMix64.mix(seed ^ OFFSET_STREAM));
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return random.nextInt(rows);
            }
        };
    }

    /** Connects and reads the three tables' columns and row counts. */
    Reader open() {
        Connection connection;
        try {
            // a copy: the driver may add the URL's options to the properties it is given
            Properties properties = new Properties();
            properties.putAll(credentials);
            connection = DRIVER.connect(url, properties);
        } catch (SQLException e) {
            throw failure("cannot connect to " + this + (user == null ? "" : " as " + user), e);
        }
        try {
            return new Reader(connection);
        } catch (RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** One open connection to the three tables. */
    final class Reader implements AutoCloseable {
        private final Connection connection;
        private final List<TableReader> tables = new ArrayList<>();
        private final int rows;

        private Reader(Connection connection) {
            this.connection = connection;
            Map<String, Long> counts = new LinkedHashMap<>();
            for (SourceTable table : SourceTable.values()) {
                TableReader reader = new TableReader(connection, table.tableName(), table == SourceTable.PIN);
                tables.add(reader);
                counts.put(table.tableName(), reader.count());
            }
            if (counts.values().stream().distinct().count() > 1) {
                throw new SourceException("the source tables at " + JdbcPostSource.this + " must hold the same number"
                        + " of rows, the same post at the same offset, but they hold " + counts);
            }
            long count = counts.values().iterator().next();
            if (count > Integer.MAX_VALUE) {
                throw new SourceException("the source tables at " + JdbcPostSource.this + " hold " + count
                        + " rows, more than the " + Integer.MAX_VALUE + " the emulator draws from");
            }
            this.rows = (int) count;
        }

        /** The rows of each table. */
        int rows() {
            return rows;
        }

        /** The post at one row offset of the tables in read order, {@code 0 <= offset < rows()}. */
        Post postAt(int offset) {
            return postsAt(new int[] {offset}).get(0);
        }

        /**
         * The posts at these row offsets, in their order (an offset may repeat): one query per table for up to
         * {@link #BATCH} offsets.
         */
        List<Post> postsAt(int[] offsets) {
            List<Map<Integer, Row>> rowsByTable = new ArrayList<>();
            for (TableReader table : tables) {
                try {
                    rowsByTable.add(table.rowsAt(offsets));
                } catch (SQLException e) {
                    throw failure("cannot read " + table.name + " at " + JdbcPostSource.this, e);
                }
            }
            List<Post> posts = new ArrayList<>(offsets.length);
            for (int offset : offsets) {
                Row[] row = new Row[tables.size()];
                for (int i = 0; i < tables.size(); i++) {
                    row[i] = rowsByTable.get(i).get(offset);
                    if (row[i] == null) {
                        throw new SourceException("row " + offset + " of " + tables.get(i).name + " at "
                                + JdbcPostSource.this + " is gone: the table shrank while the emulator read it");
                    }
                    if (row[i].key() != row[0].key()) {
                        throw new SourceException("row " + offset + " (in key order) of the source tables at "
                                + JdbcPostSource.this + " holds " + tables.get(0).keyColumn + " " + row[0].key()
                                + " in " + tables.get(0).name + " but " + tables.get(i).keyColumn + " " + row[i].key()
                                + " in " + tables.get(i).name + ": the three tables must hold the same keys");
                    }
                }
                posts.add(new Post(row[0].key(), row[0].line(), row[1].line(), row[2].line()));
            }
            return posts;
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException e) {
                throw failure("cannot close the connection to " + JdbcPostSource.this, e);
            }
        }
    }

    /** One row of a source table as sent: its key and its JSON line. */
    private record Row(long key, String line) {
    }

    /** One source table: its columns, how each is written as JSON, and the statement reading rows by offset. */
    private final class TableReader {
        private final Connection connection;
        private final String name;
        private final String keyColumn;
        private final int keyIndex;
        private final List<String> columns = new ArrayList<>();
        private final List<ValueType> types = new ArrayList<>();
        private final PreparedStatement select;

        TableReader(Connection connection, String name, boolean pin) {
            this.connection = connection;
            this.name = name;
            try (Statement statement = connection.createStatement();
                    ResultSet empty = statement.executeQuery("SELECT * FROM " + SourceTable.quote(name) + " LIMIT 0")) {
                ResultSetMetaData meta = empty.getMetaData();
                List<String> unsupported = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    ValueType type = ValueType.of(meta.getColumnType(i), meta.getPrecision(i));
                    columns.add(meta.getColumnLabel(i));
                    types.add(type);
                    if (type == null) {
                        unsupported.add(meta.getColumnLabel(i) + " " + meta.getColumnTypeName(i));
                    }
                }
                if (!unsupported.isEmpty()) {
                    throw new SourceException(name + " at " + JdbcPostSource.this + " has columns with no JSON form: "
                            + unsupported + " (the source sends integers, floats, decimals, text, dates and times)");
                }
            } catch (SQLException e) {
                throw failure("cannot read the source table " + name + " at " + JdbcPostSource.this, e);
            }
            this.keyIndex = keyIndex(pin);
            this.keyColumn = columns.get(keyIndex);
            try {
                this.select = connection.prepareStatement(selectByOffset());
            } catch (SQLException e) {
                throw failure("cannot prepare the query of " + name + " at " + JdbcPostSource.this, e);
            }
        }

        /**
         * The rows at up to {@link #BATCH} offsets of the table in read order (key, then the other columns in
         * table order), numbered by {@code ROW_NUMBER()} so that one sort serves a whole batch; the table's
         * columns come first, the offset last.
         */
        private String selectByOffset() {
            String table = SourceTable.quote(name);
            List<String> order = new ArrayList<>();
            order.add(keyColumn);
            columns.stream().filter(column -> !column.equals(keyColumn)).forEach(order::add);
            return "SELECT * FROM (SELECT " + table + ".*, ROW_NUMBER() OVER (ORDER BY "
                    + order.stream().map(column -> table + "." + SourceTable.quote(column))
                            .collect(Collectors.joining(", "))
                    + ") - 1 AS " + OFFSET_COLUMN + " FROM " + table + ") numbered WHERE " + OFFSET_COLUMN + " IN ("
                    + String.join(", ", Collections.nCopies(BATCH, "?")) + ")";
        }

        private int keyIndex(boolean pin) {
            List<String> candidates = pin ? List.of(Columns.INDEX, Columns.IND) : List.of(Columns.IND);
            for (String candidate : candidates) {
                for (int i = 0; i < columns.size(); i++) {
                    if (columns.get(i).equalsIgnoreCase(candidate)) {
                        return i;
                    }
                }
            }
            throw new SourceException(name + " at " + JdbcPostSource.this + " has no key column "
                    + String.join(" or ", candidates) + "; its columns are " + columns);
        }

        long count() {
            try (Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM " + SourceTable.quote(name))) {
                result.next();
                return result.getLong(1);
            } catch (SQLException e) {
                throw failure("cannot count the rows of " + name + " at " + JdbcPostSource.this, e);
            }
        }

        /** The rows at these offsets (at most {@link #BATCH}), by offset. */
        Map<Integer, Row> rowsAt(int[] offsets) throws SQLException {
            if (offsets.length > BATCH) {
                throw new IllegalArgumentException(offsets.length + " offsets, more than " + BATCH + " at a time");
            }
            for (int i = 0; i < BATCH; i++) {
                // unused places ask for offset -1, which no row has
                select.setLong(i + 1, i < offsets.length ? offsets[i] : -1);
            }
            Map<Integer, Row> rows = new HashMap<>();
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    int offset = result.getInt(columns.size() + 1);
                    long key = result.getLong(keyIndex + 1);
                    if (result.wasNull()) {
                        throw new SourceException("row " + offset + " (in key order) of " + name + " at "
                                + JdbcPostSource.this + " has no " + keyColumn + " (NULL)");
                    }
                    rows.put(offset, new Row(key, json(result)));
                }
            }
            return rows;
        }

        private String json(ResultSet row) throws SQLException {
            StringWriter out = new StringWriter(256);
            try (JsonGenerator json = JSON.createGenerator(out)) {
                json.writeStartObject();
                for (int i = 0; i < columns.size(); i++) {
                    json.writeFieldName(columns.get(i));
                    types.get(i).write(row, i + 1, json);
                }
                json.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toString();
        }
    }

    /** How a column's values are written as JSON, by its JDBC type. */
    enum ValueType {
        INTEGER {
            @Override
            void write(ResultSet row, int column, JsonGenerator json) throws SQLException, IOException {
                Object value = row.getObject(column);
                if (value == null) {
                    json.writeNull();
                } else if (value instanceof BigInteger big) {
                    json.writeNumber(big);
                } else {
                    json.writeNumber(((Number) value).longValue());
                }
            }
        },
        BOOLEAN {
            @Override
            void write(ResultSet row, int column, JsonGenerator json) throws SQLException, IOException {
                boolean value = row.getBoolean(column);
                if (row.wasNull()) {
                    json.writeNull();
                } else {
                    json.writeNumber(value ? 1 : 0);
                }
            }
        },
        FLOAT {
            @Override
            void write(ResultSet row, int column, JsonGenerator json) throws SQLException, IOException {
                float value = row.getFloat(column);
                if (row.wasNull()) {
                    json.writeNull();
                } else {
                    json.writeNumber(shortest(value, true));
                }
            }
        },
        DOUBLE {
            @Override
            void write(ResultSet row, int column, JsonGenerator json) throws SQLException, IOException {
                double value = row.getDouble(column);
                if (row.wasNull()) {
                    json.writeNull();
                } else {
                    json.writeNumber(shortest(value, false));
                }
            }
        },
        DECIMAL {
            @Override
            void write(ResultSet row, int column, JsonGenerator json) throws SQLException, IOException {
                BigDecimal value = row.getBigDecimal(column);
                if (value == null) {
                    json.writeNull();
                } else {
                    json.writeNumber(value);
                }
            }
        },
        TEXT {
            @Override
            void write(ResultSet row, int column, JsonGenerator json) throws SQLException, IOException {
                json.writeString(row.getString(column));
            }
        },
        DATETIME {
            @Override
            void write(ResultSet row, int column, JsonGenerator json) throws SQLException, IOException {
                LocalDateTime value = row.getObject(column, LocalDateTime.class);
                if (value == null) {
                    json.writeNull();
                } else {
                    json.writeString(DATETIME_TEXT.format(value));
                }
            }
        },
        DATE {
            @Override
            void write(ResultSet row, int column, JsonGenerator json) throws SQLException, IOException {
                LocalDate value = row.getObject(column, LocalDate.class);
                if (value == null) {
                    json.writeNull();
                } else {
                    json.writeString(value.toString());
                }
            }
        };

        abstract void write(ResultSet row, int column, JsonGenerator json) throws SQLException, IOException;

        /** The writer for a JDBC type, or null for one with no JSON form. */
        static ValueType of(int jdbcType, int precision) {
            return switch (jdbcType) {
                case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> INTEGER;
                case Types.BOOLEAN -> BOOLEAN;
                case Types.BIT -> precision <= 1 ? BOOLEAN : null;
                case Types.REAL -> FLOAT;
                case Types.FLOAT, Types.DOUBLE -> DOUBLE;
                case Types.DECIMAL, Types.NUMERIC -> DECIMAL;
                case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                        Types.CLOB, Types.NCLOB, Types.TIME -> TEXT;
                case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> DATETIME;
                case Types.DATE -> DATE;
                default -> null;
            };
        }
    }

    /**
     * The shortest decimal that reads back as {@code value} (as a float if {@code single}), with at least one
     * decimal: what Python prints for the float its MySQL driver makes of the stored value.
     */
    static BigDecimal shortest(double value, boolean single) {
        BigDecimal exact = new BigDecimal(value);
        BigDecimal shortest = exact;
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal candidate = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (single ? candidate.floatValue() == (float) value : candidate.doubleValue() == value) {
                shortest = candidate;
                break;
            }
        }
        return shortest.scale() > 0 ? shortest : shortest.setScale(1);
    }

    /** The URL's parameters after {@code ?}, by name ({@code permitMysqlScheme} alone has an empty value). */
    static Map<String, String> parameters(String url) {
        Map<String, String> parameters = new LinkedHashMap<>();
        int query = url.indexOf('?');
        if (query < 0) {
            return parameters;
        }
        for (String parameter : url.substring(query + 1).split("&")) {
            int equals = parameter.indexOf('=');
            if (equals < 0) {
                parameters.put(parameter, "");
            } else {
                parameters.put(parameter.substring(0, equals), parameter.substring(equals + 1));
            }
        }
        return parameters;
    }

    static String redact(String url) {
        return PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
    }

    /**
     * A {@link SourceException} for a failed database call: the driver's message, any password in it
     * replaced by {@code ***}; the driver's exception is kept as the cause only if no password is in it.
     */
    private SourceException failure(String context, SQLException e) {
        String message = context + ": " + e.getMessage();
        boolean clean = true;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String text = String.valueOf(cause.getMessage());
            for (String secret : secrets) {
                clean &= !text.contains(secret);
            }
        }
        for (String secret : secrets) {
            message = message.replace(secret, "***");
        }
        return clean ? new SourceException(message, e) : new SourceException(message);
    }

    /** A run: the seed's offsets, read {@link #BATCH} at a time, and the connection closed after the last read. */
    private final class Draws implements Iterator<Post> {
        private final Reader reader;
        private final Iterator<Integer> offsets;
        private int remaining;
        private Iterator<Post> batch = Collections.emptyIterator();

        Draws(Reader reader, int count) {
            this.reader = reader;
            this.remaining = count;
            this.offsets = count == 0 ? null : offsets(seed, reader.rows());
            if (count == 0) {
                reader.close();
            }
        }

        @Override
        public boolean hasNext() {
            return batch.hasNext() || remaining > 0;
        }

        @Override
        public Post next() {
            if (!batch.hasNext()) {
                if (remaining == 0) {
                    throw new NoSuchElementException();
                }
                int[] drawn = new int[Math.min(BATCH, remaining)];
                for (int i = 0; i < drawn.length; i++) {
                    drawn[i] = offsets.next();
                }
                remaining -= drawn.length;
                batch = reader.postsAt(drawn).iterator();
                if (remaining == 0) {
                    reader.close();
                }
            }
            return batch.next();
        }
    }
}
