package io.pinpipeline.jobs.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads of one resolved settings tree, each value checked: a failure is a {@link SettingsException} of one line
 * that names the key. The jobs' {@link Settings} and the toolkit's settings read their own keys through it.
 *
 * <p>No Typesafe Config type is public here: the job jar carries the library relocated (so that a cluster's own copy
 * cannot clash), and a module that uses this class reaches it through {@link #ofModule} alone.
 */
public final class SettingValues {
    private final Config config;

    SettingValues(Config config) {
        this.config = config;
    }

    /**
     * The settings of a module other than the jobs, layered as {@link #layered} does: {@code <folder>reference.conf}
     * over {@code beneath} (values its reference may refer to, such as the jobs' {@code home}; not settings of its
     * own), then {@code <folder><env>.conf} if the module has one, then {@code overrides}.
     */
    public static SettingValues ofModule(String env, ClassLoader loader, String folder, Map<String, String> beneath,
                                         Map<String, String> overrides) {
        String envResource = folder + env + ".conf";
        try {
            Config reference = moduleReference(loader, folder)
                    .withFallback(ConfigFactory.parseMap(beneath, "the jobs' settings"));
            Config envConfig = ConfigFactory.parseResources(loader, envResource);
            return new SettingValues(layered(env, reference, envConfig, overrides));
        } catch (ConfigException e) {
            throw new SettingsException(envResource + ": " + oneLine(e.getMessage()));
        }
    }

    /** The top-level sections of a module's {@code <folder>reference.conf}. */
    public static java.util.Set<String> sections(ClassLoader loader, String folder) {
        return moduleReference(loader, folder).root().keySet();
    }

    private static Config moduleReference(ClassLoader loader, String folder) {
        return ConfigFactory.parseResources(loader, folder + "reference.conf",
                com.typesafe.config.ConfigParseOptions.defaults().setAllowMissing(false));
    }

    public String string(String key) {
        try {
            return config.getString(key);
        } catch (ConfigException.Missing e) {
            throw new SettingsException("setting " + key + " is missing");
        } catch (ConfigException e) {
            throw new SettingsException("setting " + key + ": " + oneLine(e.getMessage()));
        }
    }

    public String matching(String key, String pattern) {
        String value = string(key);
        if (!value.matches(pattern)) {
            throw new SettingsException("setting " + key + ": '" + value + "' does not match " + pattern);
        }
        return value;
    }

    public String nonEmpty(String key) {
        String value = string(key).trim();
        if (value.isEmpty()) {
            throw new SettingsException("setting " + key + " is empty");
        }
        return value;
    }

    /** A string setting where "" means not set. */
    public Optional<String> optional(String key) {
        String value = string(key).trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** A folder or URL that others are appended to: never empty, without a trailing slash. */
    public String root(String key) {
        String value = nonEmpty(key);
        return value.endsWith("/") && value.length() > 1 ? value.substring(0, value.length() - 1) : value;
    }

    public long positiveLong(String key) {
        return wholeNumber(key, 1, Long.MAX_VALUE, "a positive whole number");
    }

    public long nonNegativeLong(String key) {
        return wholeNumber(key, 0, Long.MAX_VALUE, "a whole number >= 0");
    }

    /** A whole number in {@code min..max}; anything else is an error that says it is not {@code what}. */
    public long wholeNumber(String key, long min, long max, String what) {
        String value = string(key).trim();
        try {
            long number = Long.parseLong(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SettingsException("setting " + key + ": '" + value + "' is not " + what);
    }

    /** A TCP port, 1..65535. */
    public int port(String key) {
        return (int) wholeNumber(key, 1, 65_535, "a port");
    }

    /** A number from 0 to 1, a share of something. */
    public double share(String key) {
        String value = string(key).trim();
        try {
            double number = Double.parseDouble(value);
            if (number >= 0 && number <= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SettingsException("setting " + key + ": '" + value + "' is not a number from 0 to 1");
    }

    /** An http(s) URL setting where "" means not set. */
    public Optional<URI> optionalHttpUrl(String key) {
        return optional(key).map(value -> httpUrl(value).orElseThrow(
                () -> new SettingsException("setting " + key + ": '" + value + "' is not an http(s) URL")));
    }

    /**
     * {@code text} as an http(s) URL with a host, without a trailing slash; empty when it is not one. The one parser
     * of URLs for settings and command-line options alike.
     */
    public static Optional<URI> httpUrl(String text) {
        try {
            URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (uri.getScheme() != null && uri.getScheme().matches("https?") && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // not a URL: empty
        }
        return Optional.empty();
    }

    /**
     * The layers of a module's settings, later wins: its reference (every key and its default), the environment's
     * file, then {@code --set} overrides; resolved, so {@code ${?VARS}} are read here. A key of an override or of the
     * environment's file that the reference does not define is an error of one line naming it.
     */
    static Config layered(String env, Config reference, Config envConfig, Map<String, String> overrides) {
        Config known = reference.resolve();
        Map<String, Object> overrideMap = new LinkedHashMap<>();
        overrides.forEach((key, value) -> {
            if (!isSetting(known, key)) {
                throw new SettingsException("--set: unknown setting '" + key + "'");
            }
            overrideMap.put(key, value);
        });
        Config merged;
        try {
            merged = ConfigFactory.parseMap(overrideMap, "--set")
                    .withFallback(envConfig)
                    .withFallback(reference)
                    .resolve();
        } catch (ConfigException e) {
            throw new SettingsException("settings for env '" + env + "': " + oneLine(e.getMessage()));
        }
        for (Map.Entry<String, ConfigValue> entry : merged.entrySet()) {
            if (!isSetting(known, entry.getKey())) {
                throw new SettingsException("unknown setting '" + entry.getKey() + "' in "
                        + entry.getValue().origin().description());
            }
        }
        return merged;
    }

    /** A key names a setting when the reference gives it a value (not a whole section such as tables). */
    static boolean isSetting(Config reference, String key) {
        try {
            return reference.hasPathOrNull(key) && reference.getValue(key).valueType() != ConfigValueType.OBJECT;
        } catch (ConfigException.BadPath e) {
            return false;
        }
    }

    /** A Typesafe Config message, which may span lines, as one line. */
    public static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ");
    }
}
