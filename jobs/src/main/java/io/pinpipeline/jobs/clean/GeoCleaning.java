package io.pinpipeline.jobs.clean;

import static io.pinpipeline.jobs.records.Columns.COORDINATES;
import static io.pinpipeline.jobs.records.Columns.COUNTRY;
import static io.pinpipeline.jobs.records.Columns.IND;
import static io.pinpipeline.jobs.records.Columns.LATITUDE;
import static io.pinpipeline.jobs.records.Columns.LONGITUDE;
import static io.pinpipeline.jobs.records.Columns.TIMESTAMP;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The silver {@code geo} table's rules (SPEC 4). */
public final class GeoCleaning {
    private GeoCleaning() {
    }

    /**
     * Cleans valid geo records into {@code ind, country, coordinates ARRAY<DOUBLE>, timestamp TIMESTAMP}.
     * {@code latitude} and {@code longitude} are replaced by {@code coordinates}; the timestamp is parsed as
     * SPEC 2 says, unparseable is null.
     */
    public static Dataset<Row> clean(Dataset<Row> geo) {
        RequiredColumns.check(geo, "GeoCleaning.clean", IND, COUNTRY, LATITUDE, LONGITUDE, TIMESTAMP);
        return geo.select(
                col(IND),
                col(COUNTRY),
                coordinates(col(LATITUDE), col(LONGITUDE)).as(COORDINATES),
                Fields.timestamp(col(TIMESTAMP)).as(TIMESTAMP));
    }

    /** {@code [latitude, longitude]}, or null when either is missing, not a number, or out of range. */
    public static Column coordinates(Column latitudeText, Column longitudeText) {
        Column latitude = Fields.finiteDouble(latitudeText);
        Column longitude = Fields.finiteDouble(longitudeText);
        return when(latitude.between(-90.0, 90.0).and(longitude.between(-180.0, 180.0)), array(latitude, longitude));
    }
}
