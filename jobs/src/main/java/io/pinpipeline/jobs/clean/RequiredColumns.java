package io.pinpipeline.jobs.clean;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Fail fast, and say why: a transformation names the columns it needs and the ones it was given. */
public final class RequiredColumns {
    private RequiredColumns() {
    }

    public static void check(Dataset<Row> data, String transformation, String... required) {
        List<String> present = Arrays.asList(data.columns());
        List<String> missing = Arrays.stream(required).filter(name -> !present.contains(name)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(transformation + " needs columns " + missing
                    + " but was given " + present);
        }
    }
}
