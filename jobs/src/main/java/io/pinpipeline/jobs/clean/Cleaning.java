package io.pinpipeline.jobs.clean;

import io.pinpipeline.jobs.records.RecordKind;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The cleaning of each kind, as the batch and streaming lanes share it. */
public final class Cleaning {
    private Cleaning() {
    }

    /** Cleans valid records (see {@link RawRecords#valid}) of a kind into its silver columns. */
    public static Dataset<Row> clean(RecordKind kind, Dataset<Row> validRecords) {
        return switch (kind) {
            case PIN -> PinCleaning.clean(validRecords);
            case GEO -> GeoCleaning.clean(validRecords);
            case USER -> UserCleaning.clean(validRecords);
        };
    }
}
