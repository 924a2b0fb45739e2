package io.pinpipeline.jobs.lake;

/** What one upsert changed, as the MERGE itself reports it: rows inserted, rows updated. */
public record MergeCounts(long inserted, long updated) {
    /** An upsert of no rows: nothing was merged. */
    public static final MergeCounts NONE = new MergeCounts(0, 0);
}
