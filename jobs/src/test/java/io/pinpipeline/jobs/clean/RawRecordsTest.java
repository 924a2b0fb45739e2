package io.pinpipeline.jobs.clean;

import static io.pinpipeline.jobs.clean.RawRecords.BAD_KEY;
import static io.pinpipeline.jobs.clean.RawRecords.MISSING_KEY;
import static io.pinpipeline.jobs.clean.RawRecords.NOT_AN_OBJECT;
import static io.pinpipeline.jobs.testing.DatasetAssert.assertDatasetEquals;
import static io.pinpipeline.jobs.testing.TestData.row;
import static io.pinpipeline.jobs.testing.TestData.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.testing.TestData;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawRecordsTest {

    private static List<Object> reasons(RecordKind kind, String... lines) {
        return RawRecords.parse(TestData.lines(lines), kind, TestData.MAX_LINE_BYTES).select("reason").collectAsList().stream()
                .map(row -> row.get(0)).toList();
    }

    @Test
    void onlyOneJsonObjectPerLineIsARecord() {
        assertThat(reasons(RecordKind.GEO,
                "{\"ind\": 1}",
                "  {\"ind\": 2}\t",
                "[{\"ind\": 3}]",
                "[]",
                "4",
                "\"text\"",
                "null",
                "true",
                "{\"ind\": 5",
                "{\"ind\": 6} {\"ind\": 7}",
                "{\"ind\": 8} trailing",
                "{'ind': 9}",
                "{\"ind\": NaN}",
                "\u00ff\u00fe{"))
                .containsExactly(null, null, NOT_AN_OBJECT, NOT_AN_OBJECT, NOT_AN_OBJECT, NOT_AN_OBJECT, NOT_AN_OBJECT,
                        NOT_AN_OBJECT, NOT_AN_OBJECT, NOT_AN_OBJECT, NOT_AN_OBJECT, NOT_AN_OBJECT, NOT_AN_OBJECT,
                        NOT_AN_OBJECT);
    }

    @Test
    void aKeyIsANonNegativeIntegerOrAStringOfDigits() {
        assertThat(reasons(RecordKind.USER,
                "{\"ind\": 10}",
                "{\"ind\": \"11\"}",
                "{\"ind\": \" 12 \"}",
                "{}",
                "{\"ind\": null}",
                "{\"ind\": \"\"}",
                "{\"ind\": -1}",
                "{\"ind\": 5.0}",
                "{\"ind\": \"abc\"}",
                "{\"ind\": 1e3}",
                "{\"ind\": [1]}",
                "{\"ind\": 99999999999999999999}",
                "{\"IND\": 13}"))
                .containsExactly(null, null, null, MISSING_KEY, MISSING_KEY, MISSING_KEY, BAD_KEY, BAD_KEY, BAD_KEY,
                        BAD_KEY, BAD_KEY, BAD_KEY, MISSING_KEY);
    }

    @Test
    void aPinIsKeyedByIndexOrByIndWhenIndexIsAbsentOrNull() {
        var parsed = RawRecords.parse(TestData.lines(
                "{\"index\": 1, \"ind\": 100}",
                "{\"ind\": 2}",
                "{\"index\": null, \"ind\": \"3\"}",
                "{\"index\": \"x\", \"ind\": 4}"), RecordKind.PIN, TestData.MAX_LINE_BYTES);
        assertDatasetEquals(table("ind BIGINT, reason STRING",
                        row(1L, null), row(2L, null), row(3L, null), row(null, BAD_KEY)),
                parsed.select("ind", "reason"));
    }

    @Test
    void everyFieldIsReadAsTextAndUnknownFieldsAreIgnored() {
        String line = "{\"ind\": \"7\", \"first_name\": \" Ann \", \"last_name\": 42, \"age\": \"34\","
                + " \"date_joined\": {\"y\": 2015}, \"nickname\": \"x\"}";
        var parsed = RawRecords.parse(TestData.lines(line), RecordKind.USER, TestData.MAX_LINE_BYTES);
        assertDatasetEquals(table("raw STRING, source STRING, ind BIGINT, first_name STRING, last_name STRING,"
                                + " age STRING, date_joined STRING, reason STRING",
                        row("{\"ind\": \"7\", \"first_name\": \" Ann \", \"last_name\": 42, \"age\": \"34\","
                                        + " \"date_joined\": {\"y\": 2015}, \"nickname\": \"x\"}",
                                TestData.SOURCE, 7L, "Ann", "42", "34", "{\"y\":2015}", null)),
                parsed.drop(RawRecords.RAW_HASH));
        assertThat(parsed.select(RawRecords.RAW_HASH).first().getLong(0))
                .as("xxhash64 of the raw line, as Spark computes it")
                .isEqualTo(TestData.lines(line).selectExpr("xxhash64(raw)").first().getLong(0));
    }

    @Test
    void blankLinesAreNotRecords() {
        assertThat(RawRecords.withoutBlankLines(TestData.lines("", "   ", "\t", "{\"ind\": 1}", " x "), TestData.MAX_LINE_BYTES).count())
                .isEqualTo(2);
        assertThat(RawRecords.withoutBlankLines(TestData.lines("", "   ", "{\"ind\": 1}", " x "), TestData.MAX_LINE_BYTES)
                .select("raw").collectAsList().stream().map(row -> row.getString(0)).toList())
                .containsExactly("{\"ind\": 1}", " x ");
    }
}
