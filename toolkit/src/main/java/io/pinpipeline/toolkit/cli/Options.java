package io.pinpipeline.toolkit.cli;

import io.pinpipeline.jobs.settings.JobArgs;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.settings.SettingValues;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.toolkit.settings.ToolkitSettings;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A subcommand's arguments: the jobs' own {@code --env}, {@code --date}, {@code --set}, plus the toolkit's
 * named options, each checked before Spark starts.
 */
public record Options(JobArgs args) {

    public static Options parse(String[] args, String... options) {
        return new Options(JobArgs.parse(args, List.of(options)));
    }

    /** The toolkit's settings, and in them the jobs', for --env and --set. */
    public ToolkitSettings settings() {
        return ToolkitSettings.load(args);
    }

    /** The settings with more overrides, which a command sets itself (--set still wins). */
    public ToolkitSettings settingsWith(java.util.Map<String, String> overrides) {
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>(overrides);
        all.putAll(args.overrides());
        return ToolkitSettings.load(args.env(), all);
    }

    /** Only the jobs' settings, for a command that runs jobs and nothing of the toolkit's own. */
    public Settings jobSettings() {
        return settings().jobs();
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

    /** A positive number option ({@code --rate 500}, {@code --rate 0.5}), or empty when not given. */
    public OptionalDouble positiveNumber(String name) {
        String text = args.options().get(name);
        if (text == null) {
            return OptionalDouble.empty();
        }
        try {
            double value = Double.parseDouble(text);
            if (value > 0 && Double.isFinite(value)) {
                return OptionalDouble.of(value);
            }
        } catch (NumberFormatException e) {
            // reported below, with the option's name
        }
        throw new UsageException("--" + name + ": '" + text + "' is not a positive number");
    }

    /** An http(s) URL option, or empty when not given. */
    public Optional<URI> url(String name) {
        String text = args.options().get(name);
        if (text == null) {
            return Optional.empty();
        }
        return Optional.of(SettingValues.httpUrl(text).orElseThrow(
                () -> new UsageException("--" + name + ": '" + text + "' is not an http(s) URL")));
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
