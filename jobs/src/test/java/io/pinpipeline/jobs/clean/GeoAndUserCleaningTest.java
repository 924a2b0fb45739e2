package io.pinpipeline.jobs.clean;

import static io.pinpipeline.jobs.testing.DatasetAssert.assertDatasetEquals;
import static io.pinpipeline.jobs.testing.TestData.doubles;
import static io.pinpipeline.jobs.testing.TestData.row;
import static io.pinpipeline.jobs.testing.TestData.table;
import static io.pinpipeline.jobs.testing.TestData.utc;

import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.testing.TestData;
import org.junit.jupiter.api.Test;

class GeoAndUserCleaningTest {
    static final String GEO = "ind BIGINT, country STRING, coordinates ARRAY<DOUBLE>, timestamp TIMESTAMP";
    static final String USER = "ind BIGINT, user_name STRING, age INT, date_joined TIMESTAMP";

    @Test
    void coordinatesNeedTwoNumbersInRange() {
        var geo = RawRecords.valid(RawRecords.parse(TestData.lines(
                "{\"ind\": 1, \"latitude\": -89.9787, \"longitude\": -173.293, \"country\": \"Albania\", \"timestamp\": \"2020-08-28 03:52:47\"}",
                "{\"ind\": 2, \"latitude\": \"90\", \"longitude\": \"-180\", \"country\": \" Chad \"}",
                "{\"ind\": 3, \"latitude\": 90.0001, \"longitude\": 0}",
                "{\"ind\": 4, \"latitude\": 0, \"longitude\": 180.5}",
                "{\"ind\": 5, \"latitude\": null, \"longitude\": 1}",
                "{\"ind\": 6, \"latitude\": \"north\", \"longitude\": 1}",
                "{\"ind\": 7, \"latitude\": \"NaN\", \"longitude\": 1, \"timestamp\": \"2020:08:28 03:52:47\"}",
                "{\"ind\": 8, \"longitude\": 1, \"timestamp\": \"28/08/2020\"}"), RecordKind.GEO, TestData.MAX_LINE_BYTES));

        assertDatasetEquals(table(GEO,
                        row(1L, "Albania", doubles(-89.9787, -173.293), utc("2020-08-28T03:52:47")),
                        row(2L, "Chad", doubles(90, -180), null),
                        row(3L, null, null, null),
                        row(4L, null, null, null),
                        row(5L, null, null, null),
                        row(6L, null, null, null),
                        row(7L, null, null, utc("2020-08-28T03:52:47")),
                        row(8L, null, null, null)),
                GeoCleaning.clean(geo));
    }

    @Test
    void userNamesAgesAndJoinDates() {
        var users = RawRecords.valid(RawRecords.parse(TestData.lines(
                "{\"ind\": 1, \"first_name\": \"Abigail\", \"last_name\": \"Ali\", \"age\": 20, \"date_joined\": \"2015-10-24 11:23:51\"}",
                "{\"ind\": 2, \"first_name\": \"Cher\", \"age\": \"0\", \"date_joined\": \"2016-01-01T10:00:00+01:00\"}",
                "{\"ind\": 3, \"first_name\": \" \", \"last_name\": \"Solo\", \"age\": 150}",
                "{\"ind\": 4, \"age\": 151}",
                "{\"ind\": 5, \"age\": -1, \"first_name\": \"A  B\"}",
                "{\"ind\": 6, \"age\": \"34.0\"}",
                "{\"ind\": 7, \"age\": \"thirty\", \"date_joined\": \"2015-13-01 00:00:00\"}"), RecordKind.USER, TestData.MAX_LINE_BYTES));

        assertDatasetEquals(table(USER,
                        row(1L, "Abigail Ali", 20, utc("2015-10-24T11:23:51")),
                        row(2L, "Cher", 0, utc("2016-01-01T09:00:00")),
                        row(3L, "Solo", 150, null),
                        row(4L, null, null, null),
                        row(5L, "A  B", null, null),
                        row(6L, null, null, null),
                        row(7L, null, null, null)),
                UserCleaning.clean(users));
    }
}
