package io.pinpipeline.jobs.lake;

/** What one upsert did: rows given, rows inserted, rows changed, rows that were already as given. */
public record MergeCounts(long sourceRows, long inserted, long updated) {
    public long unchanged() {
        return sourceRows - inserted - updated;
    }
}
