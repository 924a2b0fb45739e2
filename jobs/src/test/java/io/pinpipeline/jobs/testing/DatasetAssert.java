package io.pinpipeline.jobs.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;

/** The one equality check for Datasets: the schema first (names and types, in order), then rows as a multiset. */
public final class DatasetAssert {
    private DatasetAssert() {
    }

    public static void assertDatasetEquals(Dataset<Row> expected, Dataset<Row> actual) {
        assertThat(describe(actual.schema().fields()))
                .as("schema (name type, in order)")
                .isEqualTo(describe(expected.schema().fields()));
        List<String> expectedRows = rows(expected);
        List<String> actualRows = rows(actual);
        assertThat(actualRows).as("rows, in any order").containsExactlyInAnyOrderElementsOf(expectedRows);
    }

    /** Rows rendered one per line, so that a failing assertion shows a readable diff. */
    public static List<String> rows(Dataset<Row> data) {
        return data.collectAsList().stream().map(DatasetAssert::render).sorted().toList();
    }

    private static String render(Row row) {
        return java.util.stream.IntStream.range(0, row.length())
                .mapToObj(i -> {
                    Object value = row.get(i);
                    if (value instanceof scala.collection.Seq<?> seq) {
                        return scala.jdk.javaapi.CollectionConverters.asJava(seq).toString();
                    }
                    return String.valueOf(value);
                })
                .collect(Collectors.joining(" | ", "[", "]"));
    }

    private static List<String> describe(StructField[] fields) {
        return Arrays.stream(fields).map(field -> field.name() + " " + field.dataType().simpleString()).toList();
    }
}
