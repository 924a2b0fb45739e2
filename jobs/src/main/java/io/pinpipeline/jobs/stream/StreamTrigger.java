package io.pinpipeline.jobs.stream;

import io.pinpipeline.jobs.settings.SettingsException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.streaming.Trigger;

/**
 * A streaming job's {@code --trigger}: {@code available-now} (the default: everything the stream holds, then stop;
 * what a scheduled DAG task runs) or {@code processing-time=10s} (a micro-batch every interval until stopped: the
 * always-on form).
 */
public record StreamTrigger(Optional<Duration> interval) {
    private static final Pattern PROCESSING_TIME = Pattern.compile("processing-time=(\\d+)(ms|s|m)");

    public static final StreamTrigger AVAILABLE_NOW = new StreamTrigger(Optional.empty());

    public static StreamTrigger parse(String text) {
        if (text == null || text.equals("available-now")) {
            return AVAILABLE_NOW;
        }
        Matcher matcher = PROCESSING_TIME.matcher(text);
        if (matcher.matches() && Long.parseLong(matcher.group(1)) > 0) {
            long amount = Long.parseLong(matcher.group(1));
            return new StreamTrigger(Optional.of(switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMinutes(amount);
            }));
        }
        throw new SettingsException("--trigger: '" + text + "' is not available-now or processing-time=<n>(ms|s|m)");
    }

    public boolean availableNow() {
        return interval.isEmpty();
    }

    Trigger sparkTrigger() {
        return interval.map(every -> Trigger.ProcessingTime(every.toMillis())).orElse(Trigger.AvailableNow());
    }

    @Override
    public String toString() {
        return interval.map(every -> "processing-time=" + every.toMillis() + "ms").orElse("available-now");
    }
}
