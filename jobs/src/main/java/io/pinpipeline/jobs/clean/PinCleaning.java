package io.pinpipeline.jobs.clean;

import static io.pinpipeline.jobs.records.Columns.CATEGORY;
import static io.pinpipeline.jobs.records.Columns.DESCRIPTION;
import static io.pinpipeline.jobs.records.Columns.FOLLOWER_COUNT;
import static io.pinpipeline.jobs.records.Columns.IMAGE_SRC;
import static io.pinpipeline.jobs.records.Columns.IND;
import static io.pinpipeline.jobs.records.Columns.IS_IMAGE_OR_VIDEO;
import static io.pinpipeline.jobs.records.Columns.POSTER_NAME;
import static io.pinpipeline.jobs.records.Columns.SAVE_LOCATION;
import static io.pinpipeline.jobs.records.Columns.TAG_LIST;
import static io.pinpipeline.jobs.records.Columns.TITLE;
import static io.pinpipeline.jobs.records.Columns.UNIQUE_ID;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import java.math.BigDecimal;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The silver {@code pin} table's rules (SPEC 4). */
public final class PinCleaning {
    public static final String NO_TITLE = "No Title Data Available";
    public static final String[] NO_DESCRIPTION =
            {"No description available Story format", "No description available", "Untitled"};
    public static final String USER_INFO_ERROR = "User Info Error";
    public static final String NO_TAGS = "N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e";
    public static final String NO_IMAGE = "Image src error.";
    public static final String SAVE_PREFIX = "Local save in ";

    private static final String FOLLOWERS = "^[0-9]+(\\.[0-9]+)?[kKmMbB]?$";
    private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);

    private PinCleaning() {
    }

    /**
     * Cleans valid pin records into the silver columns, in the official order:
     * {@code ind, unique_id, title, description, follower_count INT, poster_name, tag_list, is_image_or_video,
     * image_src, save_location, category}. Placeholders become null; {@code downloaded} and the parsing
     * columns are dropped. Nulls stay null.
     */
    public static Dataset<Row> clean(Dataset<Row> pins) {
        RequiredColumns.check(pins, "PinCleaning.clean", IND, UNIQUE_ID, TITLE, DESCRIPTION, FOLLOWER_COUNT,
                POSTER_NAME, TAG_LIST, IS_IMAGE_OR_VIDEO, IMAGE_SRC, SAVE_LOCATION, CATEGORY);
        return pins.select(
                col(IND),
                col(UNIQUE_ID),
                Fields.withoutPlaceholders(col(TITLE), NO_TITLE).as(TITLE),
                Fields.withoutPlaceholders(col(DESCRIPTION), NO_DESCRIPTION).as(DESCRIPTION),
                followerCount(col(FOLLOWER_COUNT)).as(FOLLOWER_COUNT),
                Fields.withoutPlaceholders(col(POSTER_NAME), USER_INFO_ERROR).as(POSTER_NAME),
                Fields.withoutPlaceholders(col(TAG_LIST), NO_TAGS).as(TAG_LIST),
                col(IS_IMAGE_OR_VIDEO),
                Fields.withoutPlaceholders(col(IMAGE_SRC), NO_IMAGE).as(IMAGE_SRC),
                saveLocationPath(col(SAVE_LOCATION)).as(SAVE_LOCATION),
                col(CATEGORY));
    }

    /**
     * {@code 985}, {@code 5k}, {@code 1.5M}, {@code 2b} as an INT: the number times 1 / 1,000 / 1,000,000 /
     * 1,000,000,000 in exact decimal arithmetic, rounded half up. Anything else ("User Info Error", "-5",
     * "1,000"), or a result above 2,147,483,647, is null.
     *
     * <p>Exact without a UDF: leading zeros go, and the fraction is cut to 10 digits, which cannot change a
     * half-up rounding to a whole number after multiplying by at most 10^9. An integer part of more than 12
     * digits is far above INT anyway, so DECIMAL(22,10) holds every candidate and the product never overflows.
     */
    public static Column followerCount(Column text) {
        Column valid = text.rlike(FOLLOWERS);
        Column integerDigits = regexp_replace(regexp_extract(text, "^([0-9]+)", 1), "^0+(?=[0-9])", "");
        Column fractionDigits = substring(regexp_extract(text, "\\.([0-9]+)", 1), 1, 10);
        Column number = concat(integerDigits, lit("."), fractionDigits, lit("0")).try_cast("decimal(22,10)");
        Column suffix = lower(regexp_extract(text, "([kKmMbB])$", 1));
        Column multiplier = when(suffix.equalTo("k"), lit(new BigDecimal("1000")))
                .when(suffix.equalTo("m"), lit(new BigDecimal("1000000")))
                .when(suffix.equalTo("b"), lit(new BigDecimal("1000000000")))
                .otherwise(lit(BigDecimal.ONE));
        Column rounded = round(number.multiply(multiplier), 0);
        return when(valid.and(length(integerDigits).leq(12)).and(rounded.leq(lit(INT_MAX))), rounded.cast("int"));
    }

    /** {@code Local save in /data/art} is {@code /data/art}; a value without the prefix is kept (trimmed). */
    public static Column saveLocationPath(Column text) {
        return Fields.trimmedOrNull(nullif(regexp_replace(text, "^" + SAVE_PREFIX, ""), lit("")));
    }
}
