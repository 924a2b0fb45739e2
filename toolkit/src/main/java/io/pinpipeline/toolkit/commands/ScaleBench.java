package io.pinpipeline.toolkit.commands;

import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.report.CleaningReport;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.toolkit.cli.Jobs;
import io.pinpipeline.toolkit.cli.Options;
import io.pinpipeline.toolkit.emulator.Post;
import io.pinpipeline.toolkit.emulator.PostGenerator;
import io.pinpipeline.toolkit.emulator.PostSource;
import io.pinpipeline.toolkit.local.LocalSpark;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.StreamSupport;

/**
 * {@code ./pipeline bench --scale [--posts N] [--existing E1,E2,...]}: how a day's cleaning time grows with the
 * silver tables it is upserted into. For each E, in a fresh lake: E posts of a first day are cleaned into silver,
 * then a second day of N posts, of which a tenth re-send posts of the first day (keys drawn uniformly from all
 * of them, with their identical content, as a sender repeats a record), is cleaned into those E rows, and that
 * second run of the three cleaning jobs is timed. The first day lies a week before the second, outside its lateness
 * window, so the second day reads only its own files. The last line is {@code scale: ...} with the growth from the
 * first E to the last.
 */
public final class ScaleBench implements Command {
    static final LocalDate DAY = Bench.BENCH_DAY;
    static final LocalDate FIRST_DAY = DAY.minusDays(7);
    /** The share of the second day's posts that re-send a post of the first day. */
    static final double RESENT = 0.10;

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public boolean takes(List<String> args) {
        return Bench.Variant.askedBy(args) == Bench.Variant.SCALE;
    }

    @Override
    public String usage() {
        return """
                  bench    --scale [--posts N] [--existing E1,E2]  a day's cleaning time into silver of E1, E2 rows
                """;
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Options options = Options.parse(Flags.without(args, "--scale"), "posts", "seed", "existing");
        int dayPosts = options.positiveInt("posts", 100_000);
        List<Integer> existing = Arrays.stream(options.option("existing", "1000000,5000000").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        Map<Integer, Double> seconds = new LinkedHashMap<>();
        for (int rows : existing) {
            Settings settings = Bench.inFreshFolder(options, "bench-scale");
            Emulation.toLanding(settings, options.seed(), FIRST_DAY, rows, out);
            Emulation.toLanding(settings, secondDay(options.seed(), rows), options.seed(), DAY, dayPosts, out);
            LocalSpark.with(spark -> {
                Lake lake = new Lake(spark, settings);
                List<CleaningReport> first = clean(lake, FIRST_DAY);
                out.printf("first day: %d posts cleaned in %.1f s%n", rows, total(first));
                List<CleaningReport> second = clean(lake, DAY);
                second.forEach(out::println);
                seconds.put(rows, total(second));
            });
        }
        out.printf("%n%-28s %10s%n", "silver rows before the day", "seconds");
        seconds.forEach((rows, time) -> out.printf("%-28d %10.1f%n", rows, time));
        double first = seconds.get(existing.get(0));
        double last = seconds.get(existing.get(existing.size() - 1));
        out.printf("scale: a day of %d posts into %d rows %.1f s, into %d rows %.1f s (%+.0f%%)%n", dayPosts,
                existing.get(0), first, existing.get(existing.size() - 1), last, 100 * (last / first - 1));
    }

    /** The three cleaning jobs for a date, one after the other, as the batch lane runs them in one JVM. */
    private static List<CleaningReport> clean(Lake lake, LocalDate day) {
        List<CleaningReport> reports = new ArrayList<>();
        for (Jobs.Step step : Jobs.STAGES.get(0)) {
            if (step.run().run(lake, LandingDate.of(day), null) instanceof CleaningReport cleaned) {
                reports.add(cleaned);
            }
        }
        return reports;
    }

    private static double total(List<CleaningReport> reports) {
        return reports.stream().mapToLong(CleaningReport::millis).sum() / 1000.0;
    }

    /**
     * The second day's posts: the generator's posts of that day, each replaced, with probability {@link #RESENT},
     * by the post of a key drawn uniformly from the first day's keys (the same content: a post is a function of its
     * seed and key). A run of P posts has about P * (1 - {@link PostGenerator#REPEAT_RATE}) keys, numbered from the
     * day's first key.
     */
    static PostSource secondDay(long seed, int firstDayPosts) {
        PostGenerator firstDay = new PostGenerator(seed, FIRST_DAY);
        PostGenerator day = new PostGenerator(seed, DAY);
        long firstKey = PostGenerator.firstKey(FIRST_DAY);
        int firstDayKeys = (int) (firstDayPosts * (1 - PostGenerator.REPEAT_RATE));
        return count -> {
            Iterator<Post> own = day.iterator(count);
            SplittableRandom random = new SplittableRandom(seed);
            Iterator<Post> mixed = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return own.hasNext();
                }

                @Override
                public Post next() {
                    Post post = own.next();
                    return random.nextDouble() < RESENT ? firstDay.post(firstKey + random.nextInt(firstDayKeys)) : post;
                }
            };
            return StreamSupport.stream(Spliterators.spliterator(mixed, count, Spliterator.ORDERED | Spliterator.NONNULL),
                    false);
        };
    }
}
