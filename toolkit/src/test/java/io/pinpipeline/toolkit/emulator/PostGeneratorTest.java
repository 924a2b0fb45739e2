package io.pinpipeline.toolkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostGeneratorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate DATE = LocalDate.of(2024, 5, 1);
    private static final long SEED = 42;
    private static final int POSTS = 20_000;
    private static final DateTimeFormatter DATETIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);

    /** 20,000 posts of one run, in order, and the first post of each key with its lines parsed. */
    private static List<Post> run;
    private static List<ParsedPost> firstOfEachKey;
    /** The capture: its distinct pins, and its user lines. */
    private static List<JsonNode> capturePins;
    private static List<JsonNode> captureUsers;

    record ParsedPost(JsonNode pin, JsonNode geo, JsonNode user) {
    }

    @BeforeAll
    static void generate() {
        run = new PostGenerator(SEED, DATE).posts(POSTS).toList();
        Map<Long, ParsedPost> byKey = new LinkedHashMap<>();
        for (Post post : run) {
            byKey.computeIfAbsent(post.ind(), ind -> new ParsedPost(read(post.pin()), read(post.geo()), read(post.user())));
        }
        firstOfEachKey = List.copyOf(byKey.values());
        Map<Long, JsonNode> pins = new LinkedHashMap<>();
        CaptureSample.lines(CaptureSample.PIN_RESOURCE).stream().map(PostGeneratorTest::read)
                .forEach(pin -> pins.putIfAbsent(pin.get("index").asLong(), pin));
        capturePins = List.copyOf(pins.values());
        captureUsers = CaptureSample.lines(CaptureSample.USER_RESOURCE).stream().map(PostGeneratorTest::read).toList();
    }

    @Test
    void theSameSeedAndDateGiveTheSamePosts() {
        assertThat(new PostGenerator(SEED, DATE).posts(POSTS).toList()).isEqualTo(run);
    }

    @Test
    void aPostIsFixedBySeedAndKey() {
        // Pinned values: a change here means the same seed no longer reproduces earlier runs.
        Post post = new PostGenerator(SEED, DATE).post(26_770_000_000L);

        assertThat(post.geo()).isEqualTo(GOLDEN_GEO);
        assertThat(post.user()).isEqualTo(GOLDEN_USER);
        assertThat(post.pin()).isEqualTo(GOLDEN_PIN);
        assertThat(run.get(0)).isEqualTo(post);
    }

    private static final String GOLDEN_GEO = "{\"ind\":26770000000,\"timestamp\":\"2022-01-19 20:12:01\","
            + "\"latitude\":-28.7317,\"longitude\":-19.2057,\"country\":\"Greenland\"}";
    private static final String GOLDEN_USER = "{\"ind\":26770000000,\"first_name\":\"Becky\",\"last_name\":\"Castro\","
            + "\"age\":47,\"date_joined\":\"2017-03-29 19:14:46\"}";
    private static final String GOLDEN_PIN = "{\"index\":26770000000,\"unique_id\":\"cd97f6fa-9c81-45be-b773-ee99c73687b3\","
            + "\"title\":\"5 Forgiveness Quotes To Help You Set Yourself Free, Let Go, and Heal - Strong with Purpose"
            + " | Healing & Intuitive Living\",\"description\":\"The beauty is that we have the ability to heal and"
            + " forgive. Read these 5 Forgiveness Quotes To Help You Set Yourself Free, Let Go, and Heal."
            + " #quoteoftheday #inspiring\",\"poster_name\":\"Strong with Purpose | Healing & Intuitive Living\","
            + "\"follower_count\":\"8k\",\"tag_list\":\"Quotable Quotes,Wisdom Quotes,True Quotes,Great Quotes,"
            + "Words Quotes,Motivational Quotes,Inspirational Quotes,Sayings,Quotes Quotes\","
            + "\"is_image_or_video\":\"image\","
            + "\"image_src\":\"https://i.pinimg.com/originals/8b/95/56/8b95568cda89362b6e31c80c2ea6599e.jpg\","
            + "\"downloaded\":1,\"save_location\":\"Local save in /data/quotes\",\"category\":\"quotes\"}";

    @Test
    void differentSeedsGiveDifferentPostsForTheSameKey() {
        Post one = new PostGenerator(1, DATE).post(26_770_000_000L);
        Post two = new PostGenerator(2, DATE).post(26_770_000_000L);

        assertThat(read(one.pin()).get("unique_id")).isNotEqualTo(read(two.pin()).get("unique_id"));
        assertThat(one.geo()).isNotEqualTo(two.geo());
        assertThat(one.user()).isNotEqualTo(two.user());
        assertThat(new PostGenerator(2, DATE).posts(100).toList()).isNotEqualTo(run.subList(0, 100));
    }

    @Test
    void newKeysCountUpFromTheDatesFirstKey() {
        assertThat(PostGenerator.firstKey(LocalDate.of(2017, 1, 1))).isZero();
        assertThat(PostGenerator.firstKey(LocalDate.of(2017, 1, 2))).isEqualTo(10_000_000L);
        assertThat(PostGenerator.firstKey(DATE)).isEqualTo(26_770_000_000L);

        List<Long> newKeys = firstOfEachKey.stream().map(post -> post.pin().get("index").asLong()).toList();
        List<Long> expected = IntStream.range(0, newKeys.size()).mapToObj(i -> 26_770_000_000L + i).toList();
        assertThat(newKeys).isEqualTo(expected);
    }

    @Test
    void aRepeatedKeyCarriesIdenticalLines() {
        Map<Long, Post> first = new HashMap<>();
        int repeats = 0;
        for (Post post : run) {
            Post earlier = first.putIfAbsent(post.ind(), post);
            if (earlier != null) {
                assertThat(post).isEqualTo(earlier);
                repeats++;
            }
        }
        assertThat(repeats).isEqualTo(POSTS - firstOfEachKey.size()).isPositive();
    }

    @Test
    void aboutOnePostInNineRepeatsAnEarlierKey() {
        double repeatRate = 1.0 - (double) firstOfEachKey.size() / POSTS;

        assertThat(repeatRate).isBetween(0.09, 0.125);
    }

    @Test
    void everyLineSharesItsKeyAndKeepsTheCapturesFieldOrder() {
        for (int i = 0; i < 200; i++) {
            Post post = run.get(i);
            JsonNode pin = read(post.pin());
            JsonNode geo = read(post.geo());
            JsonNode user = read(post.user());

            assertThat(fieldNames(pin)).containsExactly("index", "unique_id", "title", "description",
                    "poster_name", "follower_count", "tag_list", "is_image_or_video", "image_src", "downloaded",
                    "save_location", "category");
            assertThat(fieldNames(geo)).containsExactly("ind", "timestamp", "latitude", "longitude", "country");
            assertThat(fieldNames(user)).containsExactly("ind", "first_name", "last_name", "age", "date_joined");
            assertThat(List.of(pin.get("index").asLong(), geo.get("ind").asLong(), user.get("ind").asLong()))
                    .containsOnly(post.ind());
            assertThat(List.of(post.pin(), post.geo(), post.user())).noneMatch(line -> line.contains("\n"));
        }
    }

    @Test
    void numbersAreJsonNumbers() {
        for (ParsedPost post : firstOfEachKey.subList(0, 500)) {
            assertThat(List.of(post.pin().get("index"), post.pin().get("downloaded"), post.geo().get("ind"),
                    post.user().get("ind"), post.user().get("age"))).allMatch(JsonNode::isIntegralNumber);
            assertThat(List.of(post.geo().get("latitude"), post.geo().get("longitude")))
                    .allMatch(JsonNode::isFloatingPointNumber);
            assertThat(post.pin().get("follower_count").isTextual()).isTrue();
        }
    }

    @Test
    void aPinIsARealPinWithItsOwnKeyAndAFreshUniqueId() {
        Set<JsonNode> realPins = capturePins.stream().map(PostGeneratorTest::withoutKeyAndId).collect(Collectors.toSet());
        Set<String> realIds = capturePins.stream().map(pin -> pin.get("unique_id").asText()).collect(Collectors.toSet());
        Set<String> uniqueIds = new HashSet<>();

        for (ParsedPost post : firstOfEachKey) {
            String uniqueId = post.pin().get("unique_id").asText();
            assertThat(UUID.fromString(uniqueId).toString()).isEqualTo(uniqueId);
            assertThat(UUID.fromString(uniqueId).version()).isEqualTo(4);
            uniqueIds.add(uniqueId);
        }
        // A plain set look-up: AssertJ's contains would compare each pin with every real one.
        List<JsonNode> notReal = firstOfEachKey.stream().map(post -> withoutKeyAndId(post.pin()))
                .filter(pin -> !realPins.contains(pin)).toList();
        assertThat(notReal).isEmpty();
        assertThat(uniqueIds).hasSize(firstOfEachKey.size());
        assertThat(uniqueIds.stream().filter(realIds::contains).toList()).isEmpty();
    }

    @Test
    void everyCategoryOfTheCaptureAppearsAndNothingElse() {
        Set<String> captured = new TreeSet<>(texts(capturePins, "category"));
        Set<String> generated = new TreeSet<>(texts(firstOfEachKey.stream().map(ParsedPost::pin).toList(), "category"));

        assertThat(captured).containsExactly("art", "beauty", "christmas", "diy-and-crafts", "education",
                "event-planning", "finance", "home-decor", "mens-fashion", "quotes", "tattoos", "travel", "vehicles");
        assertThat(generated).isEqualTo(captured);
    }

    @Test
    void placeholdersKeepTheirRealRates() {
        List<JsonNode> pins = firstOfEachKey.stream().map(ParsedPost::pin).toList();

        assertRateLikeCapture(pins, pin -> pin.get("poster_name").asText().equals("User Info Error"));
        assertRateLikeCapture(pins, pin -> pin.get("follower_count").asText().equals("User Info Error"));
        assertRateLikeCapture(pins, pin -> pin.get("title").asText().equals("No Title Data Available"));
        assertRateLikeCapture(pins, pin -> pin.get("description").asText().equals("No description available Story format"));
        assertRateLikeCapture(pins, pin -> pin.get("description").asText().equals("No description available"));
        assertRateLikeCapture(pins, pin -> pin.get("tag_list").asText().equals("N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e"));
        assertRateLikeCapture(pins, pin -> pin.get("image_src").asText().equals("Image src error."));
        assertRateLikeCapture(pins, pin -> pin.get("poster_name").asText().endsWith(" "));
        assertRateLikeCapture(pins, pin -> pin.get("description").asText().endsWith("\u00a0"));
        assertRateLikeCapture(pins, pin -> pin.get("follower_count").asText().endsWith("M"));
        assertRateLikeCapture(pins, pin -> pin.get("downloaded").asInt() == 0);
    }

    /** The generated share is within 4 standard errors of the share among the capture's distinct pins. */
    private static void assertRateLikeCapture(List<JsonNode> pins, Predicate<JsonNode> test) {
        double expected = (double) capturePins.stream().filter(test).count() / capturePins.size();
        double actual = (double) pins.stream().filter(test).count() / pins.size();

        assertThat(expected).isPositive();
        assertThat(actual).isCloseTo(expected, within(4 * Math.sqrt(expected * (1 - expected) / pins.size())));
    }

    @Test
    void countriesAreTheSourceTablesAndAllOfThemAppear() {
        Set<String> countries = new TreeSet<>(CaptureSample.lines(CaptureSample.COUNTRIES_RESOURCE));
        Set<String> generated = new TreeSet<>(texts(firstOfEachKey.stream().map(ParsedPost::geo).toList(), "country"));

        assertThat(countries).hasSize(243).contains("Afghanistan", "Zimbabwe", "British Virgin Islands");
        assertThat(generated).isEqualTo(countries);
    }

    @Test
    void coordinatesAreInRange() {
        List<JsonNode> geos = firstOfEachKey.stream().map(ParsedPost::geo).toList();

        Pattern latitude = Pattern.compile("-?[0-9]{1,2}\\.[0-9]{1,7}");
        Pattern longitude = Pattern.compile("-?[0-9]{1,3}\\.[0-9]{1,7}");
        assertThat(geos.stream().filter(geo -> Math.abs(geo.get("latitude").asDouble()) > 90
                || Math.abs(geo.get("longitude").asDouble()) > 180
                || !latitude.matcher(geo.get("latitude").asText()).matches()
                || !longitude.matcher(geo.get("longitude").asText()).matches()).toList()).isEmpty();
        // Uniform: each half of the globe holds about half of the posts.
        long north = geos.stream().filter(geo -> geo.get("latitude").asDouble() > 0).count();
        assertThat((double) north / geos.size()).isCloseTo(0.5, within(0.02));
    }

    @Test
    void coordinatesAreWrittenLikeTheCaptures() {
        assertThat(coordinate(-89.97871234)).isEqualTo("-89.9787");
        assertThat(coordinate(-173.2934)).isEqualTo("-173.293");
        assertThat(coordinate(-5.344449)).isEqualTo("-5.34445");
        assertThat(coordinate(-0.3751744)).isEqualTo("-0.375174");
        assertThat(coordinate(0.0058841)).isEqualTo("0.0058841");
        assertThat(coordinate(0.0000001)).isEqualTo("0.0000001");
        assertThat(coordinate(-0.00000001)).isEqualTo("0.0");
        assertThat(coordinate(12.0)).isEqualTo("12.0");
        assertThat(coordinate(12.05)).isEqualTo("12.05");
        assertThat(coordinate(9.999996)).isEqualTo("10.0");
        assertThat(coordinate(179.99996)).isEqualTo("180.0");
        assertThat(coordinate(-90.0)).isEqualTo("-90.0");
    }

    private static String coordinate(double value) {
        StringBuilder out = new StringBuilder();
        PostGenerator.appendCoordinate(out, value);
        return out.toString();
    }

    @Test
    void timestampsAreWithinTheCapturesYearsInTheExactFormat() {
        List<LocalDateTime> timestamps = datetimes(firstOfEachKey.stream().map(ParsedPost::geo).toList(), "timestamp");

        assertThat(outside(timestamps, LocalDateTime.of(2017, 10, 1, 0, 0, 0), LocalDateTime.of(2022, 10, 31, 23, 59, 59)))
                .isEmpty();
        assertThat(timestamps.stream().map(LocalDateTime::getYear).distinct().sorted().toList())
                .containsExactly(2017, 2018, 2019, 2020, 2021, 2022);
    }

    @Test
    void usersHaveCaptureNamesAgesTwentyToSixtyAndJoinDatesOfTheCapturesYears() {
        List<JsonNode> users = firstOfEachKey.stream().map(ParsedPost::user).toList();

        assertThat(new TreeSet<>(texts(users, "first_name"))).isEqualTo(new TreeSet<>(texts(captureUsers, "first_name")));
        assertThat(new TreeSet<>(texts(users, "last_name"))).isEqualTo(new TreeSet<>(texts(captureUsers, "last_name")));
        assertThat(users.stream().map(user -> user.get("age").asInt()).distinct().sorted().toList())
                .isEqualTo(IntStream.rangeClosed(20, 60).boxed().toList());
        List<LocalDateTime> joined = datetimes(users, "date_joined");
        assertThat(outside(joined, LocalDateTime.of(2015, 10, 1, 0, 0, 0), LocalDateTime.of(2017, 10, 31, 23, 59, 59)))
                .isEmpty();
        assertThat(joined.stream().map(LocalDateTime::getYear).distinct().sorted().toList())
                .containsExactly(2015, 2016, 2017);
    }

    @Test
    void datetimesAreWrittenByHandLikeTheFormatterWouldWriteThem() {
        StringBuilder out = new StringBuilder();
        PostGenerator.appendDateTime(out, LocalDateTime.of(2017, 10, 1, 0, 0, 0).toEpochSecond(ZoneOffset.UTC));
        out.append('|');
        PostGenerator.appendDateTime(out, LocalDateTime.of(2022, 10, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC));

        assertThat(out.toString()).isEqualTo("2017-10-01 00:00:00|2022-10-31 23:59:59");
    }

    @Test
    void aBadDateOrCountFailsAndSaysWhy() {
        assertThatThrownBy(() -> new PostGenerator(1, LocalDate.of(2016, 12, 31)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("date 2016-12-31 is before 2017-01-01: its keys would be negative");
        assertThatThrownBy(() -> new PostGenerator(1, DATE).posts(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("posts: -1 is not in 0..10000000");
    }

    /** The field of every record as a datetime, after checking that each is written exactly yyyy-MM-dd HH:mm:ss. */
    private static List<LocalDateTime> datetimes(List<JsonNode> records, String field) {
        List<String> texts = texts(records, field);
        Pattern format = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}");
        assertThat(texts.stream().filter(text -> !format.matcher(text).matches()).toList()).isEmpty();
        return texts.stream().map(text -> LocalDateTime.parse(text, DATETIME)).toList();
    }

    private static List<LocalDateTime> outside(List<LocalDateTime> times, LocalDateTime first, LocalDateTime last) {
        return times.stream().filter(time -> time.isBefore(first) || time.isAfter(last)).toList();
    }

    private static List<String> texts(List<JsonNode> records, String field) {
        return records.stream().map(record -> record.get(field).asText()).toList();
    }

    private static List<String> fieldNames(JsonNode record) {
        List<String> names = new ArrayList<>();
        record.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode withoutKeyAndId(JsonNode pin) {
        ObjectNode copy = pin.deepCopy();
        copy.remove(List.of("index", "unique_id"));
        return copy;
    }

    static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
