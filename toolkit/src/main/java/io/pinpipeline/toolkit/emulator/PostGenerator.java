package io.pinpipeline.toolkit.emulator;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The emulator's built-in source of posts (SPEC 9): seeded, reproducible, and shaped like the real capture.
 *
 * <ul>
 *   <li>A post's content is a pure function of (seed, {@code ind}), so a repeated key always carries
 *       identical pin, geo and user lines, and the same seed and date give byte-identical runs.</li>
 *   <li>About 10.7% of a run's posts (the capture's 243 of 2,262) repeat the key of an earlier post of the
 *       same run, chosen uniformly among the run's new keys; the others take the next new key.</li>
 *   <li>New keys of a run are {@code (date - 2017-01-01 in days) * 10,000,000 + 0, 1, 2, ...}: runs of
 *       different dates never collide, and one run holds up to 10,000,000 posts.</li>
 *   <li>pin: one of the 2,019 distinct real pins, every value kept as it was (placeholders, trailing spaces,
 *       follower formats such as {@code "124k"}), with {@code index} set to the key and a fresh
 *       {@code unique_id} drawn from the seeded generator.</li>
 *   <li>geo: timestamp uniform in 2017-10-01 00:00:00 .. 2022-10-31 23:59:59, latitude uniform in
 *       [-90, 90] and longitude in [-180, 180] to 6 significant digits, country uniform over the 243 of the
 *       source table.</li>
 *   <li>user: first and last name from the capture's names, age uniform in 20..60, date_joined uniform in
 *       2015-10-01 00:00:00 .. 2017-10-31 23:59:59.</li>
 * </ul>
 *
 * Lines are single-line JSON objects with the capture's field order; every text value comes from the
 * capture and was escaped by Jackson once, when the capture was loaded. Datetimes are written
 * {@code yyyy-MM-dd HH:mm:ss}, keys, {@code downloaded}, ages and coordinates as JSON numbers.
 *
 * <pre>{@code new PostGenerator(42, LocalDate.parse("2024-05-01")).posts(1_000).forEach(sink::send);}</pre>
 */
public final class PostGenerator implements PostSource {
    /** The first date a run may have: its keys start at 0. */
    public static final LocalDate FIRST_DATE = LocalDate.of(2017, 1, 1);
    /** Keys reserved for each date, so the most posts one run may hold. */
    public static final long KEYS_PER_DATE = 10_000_000L;
    /** The capture's share of lines that repeat an earlier key: 243 of 2,262. */
    public static final double REPEAT_RATE = 243.0 / 2262.0;
    public static final int MIN_AGE = 20;
    public static final int MAX_AGE = 60;
    public static final LocalDateTime FIRST_TIMESTAMP = LocalDateTime.of(2017, 10, 1, 0, 0, 0);
    public static final LocalDateTime LAST_TIMESTAMP = LocalDateTime.of(2022, 10, 31, 23, 59, 59);
    public static final LocalDateTime FIRST_DATE_JOINED = LocalDateTime.of(2015, 10, 1, 0, 0, 0);
    public static final LocalDateTime LAST_DATE_JOINED = LocalDateTime.of(2017, 10, 31, 23, 59, 59);

    // Distinct constants keep the run's key sequence and the posts' contents independent streams.
    private static final long RUN_STREAM = 0x52554e5f4b455953L;
    private static final long POST_STREAM = 0x504f53545f444154L;
    private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L};

    private final long seed;
    private final LocalDate date;
    private final long firstKey;
    private final long postSeed;
    private final CaptureSample sample = CaptureSample.get();

    public PostGenerator(long seed, LocalDate date) {
        if (date.isBefore(FIRST_DATE)) {
            throw new IllegalArgumentException("date " + date + " is before " + FIRST_DATE
                    + ": its keys would be negative");
        }
        this.seed = seed;
        this.date = date;
        this.firstKey = firstKey(date);
        this.postSeed = SplitMix64.mix(seed ^ POST_STREAM);
    }

    /** The first new key of a run of this date; the run's new keys follow it one by one. */
    public static long firstKey(LocalDate date) {
        return (date.toEpochDay() - FIRST_DATE.toEpochDay()) * KEYS_PER_DATE;
    }

    public long seed() {
        return seed;
    }

    public LocalDate date() {
        return date;
    }

    /** The run's posts, in sending order; each call starts the same run again. */
    @Override
    public Stream<Post> posts(int count) {
        return StreamSupport.stream(Spliterators.spliterator(iterator(count), count,
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE), false);
    }

    /** {@link #posts} as an iterator. */
    public Iterator<Post> iterator(int count) {
        if (count < 0 || count > KEYS_PER_DATE) {
            throw new IllegalArgumentException("posts: " + count + " is not in 0.." + KEYS_PER_DATE);
        }
        return new Run(count);
    }

    /** The post of one key: the same for every run and date of this seed. */
    public Post post(long ind) {
        SplitMix64 random = new SplitMix64(SplitMix64.mix(postSeed ^ SplitMix64.mix(ind)));
        return new Post(ind, pin(ind, random), geo(ind, random), user(ind, random));
    }

    private String pin(long ind, SplitMix64 random) {
        String tail = pick(sample.pinTails, random);
        UUID uniqueId = uuid(random);
        return new StringBuilder(tail.length() + 72)
                .append("{\"index\":").append(ind)
                .append(",\"unique_id\":\"").append(uniqueId).append("\",")
                .append(tail)
                .toString();
    }

    private String geo(long ind, SplitMix64 random) {
        StringBuilder line = new StringBuilder(128).append("{\"ind\":").append(ind).append(",\"timestamp\":\"");
        appendDateTime(line, random.between(epochSecond(FIRST_TIMESTAMP), epochSecond(LAST_TIMESTAMP)));
        line.append("\",\"latitude\":");
        appendCoordinate(line, -90.0 + 180.0 * random.nextDouble());
        line.append(",\"longitude\":");
        appendCoordinate(line, -180.0 + 360.0 * random.nextDouble());
        return line.append(",\"country\":").append(pick(sample.countries, random)).append('}').toString();
    }

    private String user(long ind, SplitMix64 random) {
        StringBuilder line = new StringBuilder(128).append("{\"ind\":").append(ind)
                .append(",\"first_name\":").append(pick(sample.firstNames, random))
                .append(",\"last_name\":").append(pick(sample.lastNames, random))
                .append(",\"age\":").append(random.between(MIN_AGE, MAX_AGE))
                .append(",\"date_joined\":\"");
        appendDateTime(line, random.between(epochSecond(FIRST_DATE_JOINED), epochSecond(LAST_DATE_JOINED)));
        return line.append("\"}").toString();
    }

    private static <T> T pick(List<T> pool, SplitMix64 random) {
        return pool.get(random.nextInt(pool.size()));
    }

    /** A version 4 (random) UUID, but from the seeded generator, so that it repeats with the seed. */
    private static UUID uuid(SplitMix64 random) {
        long high = (random.nextLong() & ~0xf000L) | 0x4000L;
        long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    private static long epochSecond(LocalDateTime utc) {
        return utc.toEpochSecond(ZoneOffset.UTC);
    }

    /** {@code yyyy-MM-dd HH:mm:ss} of a UTC epoch second; written by hand, as it runs twice a post. */
    static void appendDateTime(StringBuilder out, long epochSecond) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        out.append(time.getYear()).append('-');
        twoDigits(out, time.getMonthValue()).append('-');
        twoDigits(out, time.getDayOfMonth()).append(' ');
        twoDigits(out, time.getHour()).append(':');
        twoDigits(out, time.getMinute()).append(':');
        twoDigits(out, time.getSecond());
    }

    private static StringBuilder twoDigits(StringBuilder out, int value) {
        return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    /**
     * A coordinate as the capture writes them: 6 significant digits (at most 7 decimals), plain notation,
     * no trailing zeros but at least one decimal ({@code -89.9787}, {@code -0.375174}, {@code 12.0}).
     */
    static void appendCoordinate(StringBuilder out, double value) {
        double magnitude = Math.abs(value);
        int decimals = magnitude >= 100 ? 3 : magnitude >= 10 ? 4 : magnitude >= 1 ? 5 : magnitude >= 0.1 ? 6 : 7;
        long scale = POWERS_OF_TEN[decimals];
        long scaled = Math.round(value * scale);
        if (scaled < 0) {
            out.append('-');
            scaled = -scaled;
        }
        out.append(scaled / scale).append('.');
        long fraction = scaled % scale;
        if (fraction == 0) {
            out.append('0');
            return;
        }
        int digits = decimals;
        while (fraction % 10 == 0) {
            fraction /= 10;
            digits--;
        }
        for (long power = POWERS_OF_TEN[digits - 1]; fraction < power; power /= 10) {
            out.append('0');
        }
        out.append(fraction);
    }

    /** One run: each post is a new key, or, at the capture's rate, a repeat of an earlier new key. */
    private final class Run implements Iterator<Post> {
        private final SplitMix64 keys = new SplitMix64(SplitMix64.mix(seed ^ RUN_STREAM) ^ SplitMix64.mix(date.toEpochDay()));
        private int remaining;
        private int newKeys;

        Run(int count) {
            this.remaining = count;
        }

        @Override
        public boolean hasNext() {
            return remaining > 0;
        }

        @Override
        public Post next() {
            if (remaining == 0) {
                throw new NoSuchElementException();
            }
            remaining--;
            long ind = newKeys > 0 && keys.nextDouble() < REPEAT_RATE
                    ? firstKey + keys.nextInt(newKeys)
                    : firstKey + newKeys++;
            return post(ind);
        }
    }
}
