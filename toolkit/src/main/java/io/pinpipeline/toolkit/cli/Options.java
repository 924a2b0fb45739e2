package io.pinpipeline.toolkit.cli;

import io.pinpipeline.jobs.settings.JobArgs;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.settings.Settings;
import java.time.LocalDate;
import java.util.List;

/**
 * A subcommand's arguments: the jobs' own {@code --env}, {@code --date}, {@code --set}, plus the toolkit's
 * named options, each checked before Spark starts.
 */
public record Options(JobArgs args) {

    public static Options parse(String[] args, String... options) {
        return new Options(JobArgs.parse(args, List.of(options)));
    }

    public Settings settings() {
        return Settings.load(args);
    }

    /** The given day, or today for commands that emulate now (demo, emulate); never {@code all}. */
    public LocalDate dayOrToday() {
        LandingDate date = args.date().orElse(LandingDate.of(LocalDate.now(java.time.ZoneOffset.UTC)));
        return date.day().orElseThrow(() -> new UsageException("--date: a day is needed here, not all"));
    }

    public int positiveInt(String name, int defaultValue) {
        String text = args.options().get(name);
        if (text == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the option's name
        }
        throw new UsageException("--" + name + ": '" + text + "' is not a positive whole number");
    }

    public long seed() {
        String text = args.options().getOrDefault("seed", "42");
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new UsageException("--seed: '" + text + "' is not a whole number");
        }
    }

    public String option(String name, String defaultValue) {
        return args.options().getOrDefault(name, defaultValue);
    }

    public String required(String name) {
        String value = args.options().get(name);
        if (value == null) {
            throw new UsageException("--" + name + " is required");
        }
        return value;
    }
}
