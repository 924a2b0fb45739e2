package io.pinpipeline.jobs.clean;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.Column;
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
    /**
     * Jackson's default buffer pool lives in a ThreadLocal, and Spark's task threads hold so many thread locals
     * that looking it up took longer than many a parse (profiled: 4% of a pin cleaning run); a shared lock-free
     * pool costs a compare-and-set.
     */
    private static final JsonFactory STRICT_JSON = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedLockFreePool()).build();

    private JsonLines() {
    }

    /** True when the text is one JSON object, with nothing but whitespace around it. */
    public static boolean isOneObject(String text) {
        return text != null && isOneObject(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #isOneObject(String)} of UTF-8 bytes: Jackson's byte parser, with no decoding into a Java string. */
    public static boolean isOneObject(byte[] utf8) {
        if (utf8 == null) {
            return false;
        }
        try (JsonParser parser = STRICT_JSON.createParser(utf8)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * {@link #isOneObject} as a deterministic, null-tolerant Spark function of a STRING column. It takes the
     * line's bytes (a copy), not a Java string: decoding every line into UTF-16 cost more than the check.
     */
    public static Column isOneObject(Column text) {
        return IS_ONE_OBJECT.apply(text.cast("binary"));
    }

    private static final UserDefinedFunction IS_ONE_OBJECT =
            functions.udf((UDF1<byte[], Boolean>) JsonLines::isOneObject, DataTypes.BooleanType);
}
