package io.pinpipeline.jobs.clean;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Whether a line holds exactly one JSON object.
 *
 * <p>This is the one UDF of the cleaning code, and it exists for a reason: Spark's JSON parser (and so
 * {@code from_json}) reads the first value of a line and ignores whatever follows it, so
 * {@code {"ind":5} {"ind":6}} or {@code {"ind":7} garbage} would pass as objects; it also accepts single
 * quotes and NaN. The contract says such a line is one bad record. Jackson, which Spark itself ships, parses
 * the line strictly and checks that nothing follows the object.
 */
public final class JsonLines {
    private static final JsonFactory STRICT_JSON = JsonFactory.builder().build();

    private JsonLines() {
    }

    /** True when the text is one JSON object, with nothing but whitespace around it. */
    public static boolean isOneObject(String text) {
        if (text == null) {
            return false;
        }
        try (JsonParser parser = STRICT_JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@link #isOneObject} as a deterministic, null-tolerant Spark function of a STRING column. */
    public static UserDefinedFunction isOneObjectFunction() {
        return functions.udf((UDF1<String, Boolean>) JsonLines::isOneObject, DataTypes.BooleanType);
    }
}
