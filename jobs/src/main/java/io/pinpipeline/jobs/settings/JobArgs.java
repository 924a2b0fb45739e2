package io.pinpipeline.jobs.settings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The arguments every job takes: {@code --env NAME} (default {@code local}), {@code --date YYYY-MM-DD|all},
 * {@code --set key=value} (repeatable), plus the named options a job declares (e.g. {@code --trigger}).
 * Parsing checks form only; {@link Settings#load} checks that keys exist.
 */
public record JobArgs(String env, Optional<LandingDate> date, Map<String, String> overrides,
                      Map<String, String> options) {

    public static final String DEFAULT_ENV = "local";

    public JobArgs {
        overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** Parses the common arguments; {@code extraOptions} names the job's own {@code --name value} options. */
    public static JobArgs parse(String[] args, List<String> extraOptions) {
        String env = DEFAULT_ENV;
        Optional<LandingDate> date = Optional.empty();
        Map<String, String> overrides = new LinkedHashMap<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (!List.of("--env", "--date", "--set").contains(flag)
                    && !(flag.startsWith("--") && extraOptions.contains(flag.substring(2)))) {
                throw new SettingsException("unknown argument '" + flag + "'");
            }
            String value = valueOf(args, i++, flag);
            switch (flag) {
                case "--env" -> env = checkedEnvName(value);
                case "--date" -> date = Optional.of(LandingDate.parse(value));
                case "--set" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new SettingsException("--set: '" + value + "' is not key=value");
                    }
                    overrides.put(value.substring(0, eq).trim(), value.substring(eq + 1));
                }
                default -> options.put(flag.substring(2), value);
            }
        }
        return new JobArgs(env, date, overrides, options);
    }

    public static JobArgs parse(String[] args) {
        return parse(args, List.of());
    }

    /** The date a batch job must be given. */
    public LandingDate requiredDate() {
        return date.orElseThrow(() -> new SettingsException("--date is required (YYYY-MM-DD or all)"));
    }

    private static String valueOf(String[] args, int i, String flag) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new SettingsException(flag + " needs a value");
        }
        return args[i + 1];
    }

    private static String checkedEnvName(String env) {
        if (!env.matches("[a-z][a-z0-9_-]*")) {
            throw new SettingsException("--env: '" + env + "' is not an environment name");
        }
        return env;
    }
}
