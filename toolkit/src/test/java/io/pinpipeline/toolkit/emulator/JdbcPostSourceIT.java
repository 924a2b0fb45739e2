package io.pinpipeline.toolkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipeline.jobs.records.Columns;
import io.pinpipeline.toolkit.local.Loopback;
import io.pinpipeline.toolkit.testing.LocalMariaDb;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JDBC source against a real MariaDB ({@link LocalMariaDb}) holding the real capture, loaded by
 * {@link SourceTable#loadCapture}: every post is exactly the capture's rows at its offset.
 */
class JdbcPostSourceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CAPTURE_ROWS = 2_262;
    private static final int POSTS = 500;

    private static LocalMariaDb db;
    private static String captureUrl;
    private static Map<SourceTable, Integer> loaded;
    /** Each table's capture lines in the source's read order: by key, ties (identical rows) in capture order. */
    private static final Map<SourceTable, List<JsonNode>> EXPECTED = new EnumMap<>(SourceTable.class);

    @BeforeAll
    static void loadTheCapture() throws SQLException {
        db = LocalMariaDb.start();
        captureUrl = db.createDatabase("capture");
        try (Connection connection = db.connect("capture")) {
            loaded = SourceTable.loadCapture(connection);
        }
        for (SourceTable table : SourceTable.values()) {
            List<JsonNode> rows = new ArrayList<>(CaptureSample.lines(table.captureResource()).stream()
                    .map(JdbcPostSourceIT::parse).toList());
            rows.sort(Comparator.comparingLong(row -> row.get(table.key()).asLong()));
            EXPECTED.put(table, rows);
        }
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    private JdbcPostSource source(long seed) {
        return new JdbcPostSource(captureUrl, db.credentials(), seed);
    }

    @Test
    void theLoaderCreatesTheOriginalsColumnsAndLoadsEveryCaptureLine() throws SQLException {
        assertThat(loaded).containsExactly(Map.entry(SourceTable.PIN, CAPTURE_ROWS),
                Map.entry(SourceTable.GEO, CAPTURE_ROWS), Map.entry(SourceTable.USER, CAPTURE_ROWS));
        Map<String, List<String>> columns = new HashMap<>();
        try (Connection connection = db.connect("capture"); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE"
                        + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'capture'"
                        + " ORDER BY TABLE_NAME, ORDINAL_POSITION")) {
            while (result.next()) {
                columns.computeIfAbsent(result.getString(1), table -> new ArrayList<>())
                        .add(result.getString(2) + " " + result.getString(3));
            }
        }
        assertThat(columns).containsOnly(
                Map.entry("pinterest_data", List.of("index int(11)", "unique_id text", "title text", "description text",
                        "poster_name text", "follower_count text", "tag_list text", "is_image_or_video text",
                        "image_src text", "downloaded int(11)", "save_location text", "category text")),
                Map.entry("geolocation_data", List.of("ind int(11)", "timestamp datetime", "latitude float",
                        "longitude float", "country text")),
                Map.entry("user_data", List.of("ind int(11)", "first_name text", "last_name text", "age int(11)",
                        "date_joined datetime")));
    }

    @Test
    void theLoaderTakesAUsersLinesAndRefusesABadOneLoadingNothing() throws SQLException {
        db.createDatabase("own");
        try (Connection connection = db.connect("own"); Statement statement = connection.createStatement()) {
            SourceTable.createAll(connection);
            assertThat(SourceTable.USER.load(connection, List.of(
                    "{\"ind\": 1, \"first_name\": \"Zoë\", \"last_name\": null, \"age\": \"34\","
                            + " \"date_joined\": \"2016-02-29 23:59:59\", \"extra\": true}",
                    "{\"ind\": 2}"))).isEqualTo(2);
            assertThatThrownBy(() -> SourceTable.USER.load(connection, List.of("{\"ind\": 3, \"age\": 40}",
                    "{\"ind\": 4, \"age\": 5.0}")))
                    .isInstanceOf(SourceException.class)
                    .hasMessage("user_data line 2: age is not an INT: 5.0");
            try (ResultSet result = statement.executeQuery("SELECT ind, first_name, last_name, age, date_joined"
                    + " FROM user_data ORDER BY ind")) {
                List<String> rows = new ArrayList<>();
                while (result.next()) {
                    rows.add(result.getInt(1) + " " + result.getString(2) + " " + result.getString(3) + " "
                            + result.getString(4) + " " + result.getString(5));
                }
                assertThat(rows).containsExactly("1 Zoë null 34 2016-02-29 23:59:59", "2 null null null null");
            }
        }
    }

    @Test
    void everyRowReadsBackAsItsCaptureLineFieldForFieldInOrder() {
        try (JdbcPostSource.Reader reader = source(1).open()) {
            assertThat(reader.rows()).isEqualTo(CAPTURE_ROWS);
            for (int first = 0; first < CAPTURE_ROWS; first += JdbcPostSource.BATCH) {
                int[] offsets = IntStream.range(first, Math.min(first + JdbcPostSource.BATCH, CAPTURE_ROWS)).toArray();
                List<Post> posts = reader.postsAt(offsets);
                for (int i = 0; i < offsets.length; i++) {
                    assertIsCaptureRow(posts.get(i), offsets[i]);
                }
            }
            assertIsCaptureRow(reader.postAt(CAPTURE_ROWS - 1), CAPTURE_ROWS - 1);
        }
    }

    @Test
    void postsAreTheCaptureRowsAtTheSeedsOffsetsAndShareTheirKey() {
        List<Post> posts;
        try (Stream<Post> stream = source(42).posts(POSTS)) {
            posts = stream.toList();
        }
        assertThat(posts).hasSize(POSTS);
        Iterator<Integer> offsets = JdbcPostSource.offsets(42, CAPTURE_ROWS);
        for (Post post : posts) {
            assertIsCaptureRow(post, offsets.next());
        }
    }

    @Test
    void theSameSeedGivesTheSamePostsAndAnotherSeedOthers() {
        List<Post> first = source(42).posts(POSTS).toList();
        List<Post> again = source(42).posts(POSTS).toList();
        List<Post> other = source(43).posts(POSTS).toList();
        assertThat(again).isEqualTo(first);
        assertThat(other.stream().map(Post::ind).toList()).isNotEqualTo(first.stream().map(Post::ind).toList());
    }

    @Test
    void rowsAreDrawnWithReplacementOverTheWholeTable() {
        List<Integer> offsets = new ArrayList<>();
        Iterator<Integer> draws = JdbcPostSource.offsets(42, CAPTURE_ROWS);
        for (int i = 0; i < POSTS; i++) {
            offsets.add(draws.next());
        }
        Set<Integer> distinct = new HashSet<>(offsets);
        // 500 draws from 2,262 rows repeat about 50 rows; each repeat is the same post again
        assertThat(distinct.size()).isBetween(POSTS - 80, POSTS - 20);
        assertThat(offsets).allMatch(offset -> offset >= 0 && offset < CAPTURE_ROWS);
        List<Post> posts = source(42).posts(POSTS).toList();
        Map<Integer, Post> byOffset = new HashMap<>();
        for (int i = 0; i < POSTS; i++) {
            Post earlier = byOffset.putIfAbsent(offsets.get(i), posts.get(i));
            if (earlier != null) {
                assertThat(posts.get(i)).isEqualTo(earlier);
            }
        }
        // over many draws every row comes up: min and max offsets are the table's ends
        Iterator<Integer> many = JdbcPostSource.offsets(7, CAPTURE_ROWS);
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int i = 0; i < 50_000; i++) {
            int offset = many.next();
            min = Math.min(min, offset);
            max = Math.max(max, offset);
        }
        assertThat(List.of(min, max)).containsExactly(0, CAPTURE_ROWS - 1);
    }

    @Test
    void aMysqlUrlReadsTheSameTablesThroughTheMariaDbDriver() {
        String mysqlUrl = captureUrl.replace("jdbc:mariadb:", "jdbc:mysql:");
        List<Post> viaMysql = new JdbcPostSource(mysqlUrl, db.credentials(), 42).posts(20).toList();
        assertThat(viaMysql).isEqualTo(source(42).posts(20).toList());
    }

    @Test
    void credentialsInTheUrlComeBeforeTheGivenOnes() {
        String url = captureUrl + "?user=" + LocalMariaDb.USER + "&password=" + db.password();
        Properties wrong = new Properties();
        wrong.setProperty("user", "nobody");
        wrong.setProperty("password", "not-the-password");
        assertThat(new JdbcPostSource(url, wrong, 42).posts(5).toList()).isEqualTo(source(42).posts(5).toList());
    }

    @Test
    void aWrongPasswordFailsClearlyWithoutThePassword() {
        String wrongPassword = "Wr0ng-" + db.password();
        Properties credentials = new Properties();
        credentials.setProperty("user", LocalMariaDb.USER);
        credentials.setProperty("password", wrongPassword);
        assertThatThrownBy(() -> new JdbcPostSource(captureUrl, credentials, 42).posts(1))
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith("cannot connect to " + captureUrl + " as pipeline: ")
                .hasMessageContaining("Access denied for user 'pipeline'")
                .satisfies(e -> assertThat(messages(e)).noneMatch(message -> message.contains(wrongPassword)));

        String inUrl = captureUrl + "?user=pipeline&password=" + wrongPassword;
        assertThatThrownBy(() -> new JdbcPostSource(inUrl, new Properties(), 42).posts(1))
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith("cannot connect to " + captureUrl + "?user=pipeline&password=*** as pipeline: ")
                .hasMessageContaining("Access denied for user 'pipeline'")
                .satisfies(e -> assertThat(messages(e)).noneMatch(message -> message.contains(wrongPassword)));
    }

    @Test
    void aServerThatIsNotThereFailsClearly() throws IOException {
        int closedPort = Loopback.freePort();
        String url = "jdbc:mariadb://127.0.0.1:" + closedPort + "/capture?connectTimeout=2000";
        assertThatThrownBy(() -> new JdbcPostSource(url, db.credentials(), 42).posts(1))
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith("cannot connect to " + url + " as pipeline: ")
                .satisfies(e -> assertThat(messages(e)).noneMatch(message -> message.contains(db.password())));
    }

    @Test
    void aUrlOfAnotherDatabaseIsRefused() {
        assertThatThrownBy(() -> new JdbcPostSource("jdbc:postgresql://127.0.0.1/capture?password=secret",
                db.credentials(), 42))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the JDBC source needs a jdbc:mariadb://host:port/database or jdbc:mysql://host:port/database"
                        + " URL, not jdbc:postgresql://127.0.0.1/capture?password=***");
    }

    @Test
    void tablesOfUnequalSizeFailBeforeTheFirstPost() throws SQLException {
        String url = db.createDatabase("uneven");
        try (Connection connection = db.connect("uneven"); Statement statement = connection.createStatement()) {
            SourceTable.loadCapture(connection);
            statement.execute("DELETE FROM user_data ORDER BY ind LIMIT 1");
        }
        assertThatThrownBy(() -> new JdbcPostSource(url, db.credentials(), 42).posts(1))
                .isInstanceOf(SourceException.class)
                .hasMessage("the source tables at " + url + " must hold the same number of rows, the same post at the"
                        + " same offset, but they hold {pinterest_data=2262, geolocation_data=2262, user_data=2261}");
    }

    @Test
    void aMissingTableFailsBeforeTheFirstPost() {
        String url = db.createDatabase("empty");
        assertThatThrownBy(() -> new JdbcPostSource(url, db.credentials(), 42).posts(1))
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith("cannot read the source table pinterest_data at " + url + ": ")
                .hasMessageContaining("doesn't exist");
    }

    @Test
    void keysThatDisagreeAtAnOffsetFailNamingBoth() throws SQLException {
        String url = db.createDatabase("misaligned");
        try (Connection connection = db.connect("misaligned"); Statement statement = connection.createStatement()) {
            SourceTable.loadCapture(connection);
            statement.execute("UPDATE geolocation_data SET ind = -1 WHERE ind = (SELECT MAX(ind) FROM user_data)");
        }
        long lowest = EXPECTED.get(SourceTable.PIN).get(0).get(Columns.INDEX).asLong();
        try (JdbcPostSource.Reader reader = new JdbcPostSource(url, db.credentials(), 42).open()) {
            assertThatThrownBy(() -> reader.postAt(0))
                    .isInstanceOf(SourceException.class)
                    .hasMessage("row 0 (in key order) of the source tables at " + url + " holds index " + lowest
                            + " in pinterest_data but ind -1 in geolocation_data: the three tables must hold the same keys");
        }
    }

    @Test
    void theStreamClosesItsConnectionAfterTheLastPostOrWhenClosed() throws Exception {
        int before = connections();
        List<Post> all = source(42).posts(3).toList();
        assertThat(all).hasSize(3);
        awaitConnections(before);
        try (Stream<Post> stream = source(42).posts(JdbcPostSource.BATCH + 1)) {
            assertThat(stream.limit(2).toList()).hasSize(2);
            assertThat(connections()).isEqualTo(before + 1);
        }
        awaitConnections(before);
    }

    private static int connections() throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                        + " WHERE USER = 'pipeline' AND ID <> CONNECTION_ID()")) {
            result.next();
            return result.getInt(1);
        }
    }

    private static void awaitConnections(int expected) throws Exception {
        for (int i = 0; i < 100 && connections() != expected; i++) {
            Thread.sleep(20);
        }
        assertThat(connections()).isEqualTo(expected);
    }

    private static void assertIsCaptureRow(Post post, int offset) {
        JsonNode pin = EXPECTED.get(SourceTable.PIN).get(offset);
        assertThat(post.ind()).as("key of row %d", offset).isEqualTo(pin.get(Columns.INDEX).asLong());
        assertSameRecord(post.pin(), pin, "pin", offset);
        assertSameRecord(post.geo(), EXPECTED.get(SourceTable.GEO).get(offset), "geo", offset);
        assertSameRecord(post.user(), EXPECTED.get(SourceTable.USER).get(offset), "user", offset);
        assertThat(parse(post.geo()).get(Columns.IND).asLong()).isEqualTo(post.ind());
        assertThat(parse(post.user()).get(Columns.IND).asLong()).isEqualTo(post.ind());
    }

    private static void assertSameRecord(String line, JsonNode expected, String kind, int offset) {
        assertThat(line).as("%s row %d is one line", kind, offset).doesNotContain("\n");
        JsonNode actual = parse(line);
        assertThat(fieldNames(actual)).as("%s row %d fields", kind, offset).isEqualTo(fieldNames(expected));
        assertThat(actual).as("%s row %d: %s", kind, offset, line).isEqualTo(expected);
    }

    private static List<String> fieldNames(JsonNode record) {
        List<String> names = new ArrayList<>();
        record.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> messages(Throwable error) {
        List<String> messages = new ArrayList<>();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            messages.add(String.valueOf(cause.getMessage()));
        }
        return messages;
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
