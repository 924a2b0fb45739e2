package io.pinpipeline.jobs.testing;

import io.pinpipeline.jobs.records.Columns;
import io.pinpipeline.jobs.settings.Settings;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Tiny explicit inputs and expected tables. */
public final class TestData {
    /** Where test lines pretend to come from: a landing file of 2024-05-01. */
    public static final String SOURCE = "file:/landing/topics/p.pin/dt=2024-05-01/part-0.json";
    /** The default line limit, landing.max-line-bytes, as the jobs read it. */
    public static final int MAX_LINE_BYTES = Settings.load("local", Map.of()).maxLineBytes();

    private TestData() {
    }

    /** Landed lines, as the lake hands them to the cleaning: {@code raw, source}. */
    public static Dataset<Row> lines(String... rawLines) {
        StructType schema = new StructType().add(Columns.RAW, DataTypes.StringType).add(Columns.SOURCE, DataTypes.StringType);
        List<Row> rows = Arrays.stream(rawLines).map(line -> RowFactory.create(line, SOURCE)).toList();
        return TestSpark.session().createDataFrame(rows, schema);
    }

    /** A table from a DDL schema and rows given as arrays of values. */
    public static Dataset<Row> table(String ddl, Object[]... rows) {
        StructType schema = StructType.fromDDL(ddl);
        List<Row> list = Arrays.stream(rows).map(RowFactory::create).toList();
        return TestSpark.session().createDataFrame(list, schema);
    }

    public static Object[] row(Object... values) {
        return values;
    }

    public static Instant utc(String isoWithoutZone) {
        return Instant.parse(isoWithoutZone + "Z");
    }

    /** An ARRAY<DOUBLE> value. */
    public static List<Double> doubles(double... values) {
        return Arrays.stream(values).boxed().toList();
    }

    /**
     * Applies a column expression to each input string (column {@code v}), and returns the results in order.
     * For testing one rule on many edge cases at once.
     */
    public static List<Object> evaluate(java.util.function.Function<org.apache.spark.sql.Column, org.apache.spark.sql.Column> rule,
                                        String... inputs) {
        StructType schema = new StructType().add("i", DataTypes.IntegerType).add("v", DataTypes.StringType);
        List<Row> rows = java.util.stream.IntStream.range(0, inputs.length)
                .mapToObj(i -> RowFactory.create(i, inputs[i])).toList();
        return TestSpark.session().createDataFrame(rows, schema)
                .select(org.apache.spark.sql.functions.col("i"), rule.apply(org.apache.spark.sql.functions.col("v")))
                .orderBy("i").collectAsList().stream().map(row -> row.get(1)).toList();
    }
}
