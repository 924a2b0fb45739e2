package io.pinpipeline.jobs.silver;

/**
 * What one cleaning flow did, each number measured on its own: {@code read}, the non-blank lines (or stream
 * records) parsed; {@code upserted}, the rows handed to MERGE, counted after the de-duplication; {@code inserted}
 * and {@code updated}, from MERGE's own result; {@code duplicates}, the valid records less their distinct keys,
 * counted before the de-duplication; {@code quarantined}, the rows handed to the quarantine write.
 *
 * <p>Nothing is dropped silently (SPEC 4): {@code read = upserted + duplicates + quarantined}. Since no term is
 * derived from another, the check fails when the de-duplication keeps too many or too few rows, or when a
 * record is neither upserted nor quarantined.
 */
public record CleaningCounts(long read, long upserted, long inserted, long updated, long duplicates, long quarantined) {
    public static final CleaningCounts NONE = new CleaningCounts(0, 0, 0, 0, 0, 0);

    public boolean addsUp() {
        return read == upserted + duplicates + quarantined && inserted + updated <= upserted
                && Math.min(Math.min(inserted, updated), Math.min(duplicates, quarantined)) >= 0;
    }

    /** These counts and another run's together (a streaming run's micro-batches). */
    public CleaningCounts plus(CleaningCounts other) {
        return new CleaningCounts(read + other.read, upserted + other.upserted, inserted + other.inserted,
                updated + other.updated, duplicates + other.duplicates, quarantined + other.quarantined);
    }

    /** {@code 5 <unit> read = 2 rows upserted (2 new, 0 changed) + 1 duplicates collapsed + 2 quarantined}. */
    public String describe(String unit) {
        return String.format("%d %s read = %d rows upserted (%d new, %d changed) + %d duplicates collapsed + %d quarantined",
                read, unit, upserted, inserted, updated, duplicates, quarantined);
    }

    @Override
    public String toString() {
        return describe("records");
    }
}
