package io.pinpipeline.jobs.clean;

import static io.pinpipeline.jobs.records.Columns.KIND;
import static io.pinpipeline.jobs.records.Columns.QUARANTINED_AT;
import static io.pinpipeline.jobs.records.Columns.RAW;
import static io.pinpipeline.jobs.records.Columns.REASON;
import static io.pinpipeline.jobs.records.Columns.RUN_DATE;
import static io.pinpipeline.jobs.records.Columns.SOURCE;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;

import io.pinpipeline.jobs.records.RecordKind;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The records that cannot be cleaned, kept whole with the reason. One Delta table for all kinds; its rows
 * for a landing date are replaced, not added to, when that date is processed again.
 */
public final class Quarantine {
    public static final String TABLE = "quarantine";
    /** How the streaming lane's rows name their source: {@code kinesis:<stream>/<shard>/<sequence number>}. */
    public static final String STREAM_SOURCE_PREFIX = "kinesis:";

    public static final StructType SCHEMA = new StructType()
            .add(KIND, DataTypes.StringType)
            .add(REASON, DataTypes.StringType)
            .add(RAW, DataTypes.StringType)
            .add(SOURCE, DataTypes.StringType)
            .add(RUN_DATE, DataTypes.DateType)
            .add(QUARANTINED_AT, DataTypes.TimestampType);

    private Quarantine() {
    }

    /**
     * The quarantine rows of parsed records (see {@link RawRecords#parse}): those with a reason.
     * Out: {@code kind, reason, raw, source, run_date}, where {@code run_date} is the landing date of the line,
     * taken from the {@code dt=YYYY-MM-DD} folder of its source (null for the flat {@code partition=0} layout).
     * The writer adds {@code quarantined_at}: this function does not read the clock.
     */
    public static Dataset<Row> rows(Dataset<Row> records, RecordKind kind) {
        RequiredColumns.check(records, "Quarantine.rows", REASON, RAW, SOURCE);
        return records.filter(col(REASON).isNotNull())
                .select(lit(kind.label()).as(KIND), col(REASON), col(RAW), col(SOURCE),
                        landingDate(col(SOURCE)).as(RUN_DATE));
    }

    /** The date of a {@code .../dt=YYYY-MM-DD/...} path, or null. */
    public static Column landingDate(Column source) {
        return regexp_extract(source, "/dt=([0-9]{4}-[0-9]{2}-[0-9]{2})/", 1).try_cast("date");
    }
}
