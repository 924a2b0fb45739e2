package io.pinpipeline.jobs.clean;

import static io.pinpipeline.jobs.testing.DatasetAssert.assertDatasetEquals;
import static io.pinpipeline.jobs.testing.TestData.evaluate;
import static io.pinpipeline.jobs.testing.TestData.row;
import static io.pinpipeline.jobs.testing.TestData.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.testing.TestData;
import org.junit.jupiter.api.Test;

class PinCleaningTest {
    static final String SILVER = "ind BIGINT, unique_id STRING, title STRING, description STRING, follower_count INT,"
            + " poster_name STRING, tag_list STRING, is_image_or_video STRING, image_src STRING, save_location STRING,"
            + " category STRING";

    @Test
    void followerCountsAreExactDecimalsRoundedHalfUp() {
        assertThat(evaluate(PinCleaning::followerCount,
                "0", "999", "5k", "124k", "1M", "15M", "1.5k", "1.0005k", "1.0004k", "2.5", "3.4999999999999k",
                "0.0000000005b", "00012", "12K", "2b", "2.147483647b", "2.1474836475b", "2147483647", "2147483648",
                "99999999999999999999"))
                .containsExactly(0, 999, 5000, 124000, 1000000, 15000000, 1500, 1001, 1000, 3, 3500,
                        1, 12, 12000, 2000000000, 2147483647, null, 2147483647, null,
                        null);
    }

    @Test
    void followerCountsInAnyOtherFormAreNull() {
        assertThat(evaluate(PinCleaning::followerCount,
                "User Info Error", "-5", "1,000", "1.5kk", "k", ".5k", "5.k", "5 k", "1e3", "5t", "", null))
                .containsOnlyNulls().hasSize(12);
    }

    @Test
    void saveLocationKeepsOnlyThePath() {
        assertThat(evaluate(PinCleaning::saveLocationPath,
                "Local save in /data/art", "Local save in  /data/art ", "/data/art", "Local save in", "Local save in ",
                "local save in /x", null))
                .containsExactly("/data/art", "/data/art", "/data/art", "Local save in", null, "local save in /x", null);
    }

    @Test
    void everyPlaceholderBecomesNull() {
        var records = RawRecords.valid(RawRecords.parse(TestData.lines(
                "{\"index\": 7528, \"unique_id\": \"fbe53c66\", \"title\": \"No Title Data Available\","
                        + " \"description\": \"No description available Story format\", \"poster_name\": \"User Info Error\","
                        + " \"follower_count\": \"User Info Error\", \"tag_list\": \"N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e\","
                        + " \"is_image_or_video\": \"multi-video(story page format)\", \"image_src\": \"Image src error.\","
                        + " \"downloaded\": 0, \"save_location\": \"Local save in /data/mens-fashion\", \"category\": \"mens-fashion\"}",
                "{\"index\": 1, \"description\": \"No description available\"}",
                "{\"index\": 2, \"description\": \"Untitled\", \"title\": \"Untitled\"}"), RecordKind.PIN, TestData.MAX_LINE_BYTES));

        assertDatasetEquals(table(SILVER,
                        row(7528L, "fbe53c66", null, null, null, null, null, "multi-video(story page format)", null,
                                "/data/mens-fashion", "mens-fashion"),
                        row(1L, null, null, null, null, null, null, null, null, null, null),
                        row(2L, null, "Untitled", null, null, null, null, null, null, null, null)),
                PinCleaning.clean(records));
    }

    @Test
    void stringsAreTrimmedOfSpacesOnlyAndFollowersConverted() {
        var records = RawRecords.valid(RawRecords.parse(TestData.lines(
                "{\"index\": \"12\", \"unique_id\": \" u \", \"title\": \"\", \"description\": \"Nice\u2026\u00a0\","
                        + " \"poster_name\": \"Ann \", \"follower_count\": \" 1.5M \", \"tag_list\": \"a,b\","
                        + " \"is_image_or_video\": \"image\", \"image_src\": \"\\thttp://x\", \"downloaded\": \"yes\","
                        + " \"save_location\": \"/plain\", \"category\": \" art \", \"extra\": [1, 2]}"), RecordKind.PIN, TestData.MAX_LINE_BYTES));

        assertDatasetEquals(table(SILVER,
                        row(12L, "u", null, "Nice\u2026\u00a0", 1500000, "Ann", "a,b", "image", "\thttp://x", "/plain", "art")),
                PinCleaning.clean(records));
    }

    @Test
    void saysWhichColumnsAreMissing() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PinCleaning.clean(TestData.table("ind BIGINT, title STRING")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PinCleaning.clean needs columns [unique_id, description")
                .hasMessageContaining("was given [ind, title]");
    }
}
