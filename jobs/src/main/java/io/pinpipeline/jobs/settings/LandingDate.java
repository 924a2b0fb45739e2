package io.pinpipeline.jobs.settings;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.List;
import java.util.Optional;

/**
 * Which landing partition a batch run reads: one {@code dt=YYYY-MM-DD} folder, or {@code all} of the topic
 * (every file under it, whatever the layout). The date always comes from the caller (the DAG's
 * {@code {{ ds }}}), never from the clock.
 */
public record LandingDate(Optional<LocalDate> day) {
    private static final DateTimeFormatter ISO_DAY =
            DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);

    public static final LandingDate ALL = new LandingDate(Optional.empty());

    public static LandingDate of(LocalDate day) {
        return new LandingDate(Optional.of(day));
    }

    /** Parses {@code YYYY-MM-DD} (a real calendar day) or {@code all}; anything else is a one-line error. */
    public static LandingDate parse(String text) {
        if ("all".equals(text)) {
            return ALL;
        }
        if (text == null || !text.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
            throw new SettingsException("--date: '" + text + "' is not YYYY-MM-DD or all");
        }
        try {
            return of(LocalDate.parse(text, ISO_DAY));
        } catch (DateTimeParseException e) {
            throw new SettingsException("--date: '" + text + "' is not a calendar day");
        }
    }

    /**
     * The landing days a run for this date reads: the day itself and the {@code daysBefore} days before it, oldest
     * first (late files of earlier days are cleaned again); none for {@code all}, which reads the whole topic.
     */
    public List<LocalDate> withDaysBefore(int daysBefore) {
        return day.map(last -> last.minusDays(daysBefore).datesUntil(last.plusDays(1)).toList()).orElse(List.of());
    }

    public boolean isAll() {
        return day.isEmpty();
    }

    @Override
    public String toString() {
        return day.map(LocalDate::toString).orElse("all");
    }
}
