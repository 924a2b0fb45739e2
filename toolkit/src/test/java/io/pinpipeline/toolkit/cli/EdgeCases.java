package io.pinpipeline.toolkit.cli;

import io.pinpipeline.jobs.records.RecordKind;
import java.time.LocalDate;
import java.util.List;

/**
 * Landing lines with the edge cases of SPEC 2 and 4 (and the decisions in docs/decisions.md), one or two each, for the DuckDB
 * reading's comparison with Spark. Keys from 900,000 up, beyond the capture's. The day before the run's date holds
 * copies of some of the day's records (identical, and one that differs: the copy of the greater file wins).
 */
final class EdgeCases {
    private EdgeCases() {
    }

    static String linesOf(RecordKind kind, LocalDate day) {
        boolean dayBefore = day.equals(DuckDbReadingIT.DAY.minusDays(1));
        List<String> lines = switch (kind) {
            case PIN -> dayBefore ? PINS_DAY_BEFORE : PINS;
            case GEO -> dayBefore ? GEO_DAY_BEFORE : GEO;
            case USER -> dayBefore ? USERS_DAY_BEFORE : USERS;
        };
        return String.join("\n", lines) + "\n";
    }

    private static String pin(String key, String followerCount, String rest) {
        return "{" + key + ", \"unique_id\": \"u-" + key.replaceAll("[^0-9]", "") + "\", \"follower_count\": " + followerCount
                + ", \"poster_name\": \"Poster " + key.replaceAll("[^0-9]", "") + "\", \"category\": \"edge\"" + rest + "}";
    }

    static final List<String> PINS = List.of(
            // placeholders, save_location prefix, string trimming (only U+0020)
            "{\"index\": 900001, \"unique_id\": \" u1 \", \"title\": \"No Title Data Available\", \"description\": \"Untitled\","
                    + " \"poster_name\": \"User Info Error\", \"follower_count\": \"User Info Error\","
                    + " \"tag_list\": \"N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e\", \"is_image_or_video\": \"image\","
                    + " \"image_src\": \"Image src error.\", \"downloaded\": 1, \"save_location\": \"Local save in /data/art\","
                    + " \"category\": \"art\"}",
            "{\"index\": 900002, \"title\": \"\\tTabbed\\u00a0 \", \"description\": \"No description available Story format\","
                    + " \"save_location\": \"Local save in  /two/spaces\", \"category\": \" art \", \"follower_count\": \"5k \"}",
            "{\"index\": 900003, \"description\": \"No description available\", \"save_location\": \"/already/a/path\","
                    + " \"follower_count\": \"\\t5k\", \"title\": \"\"}",
            "{\"index\": 900004, \"save_location\": \"Local save in \", \"description\": \"Untitled!\", \"follower_count\": 985}",
            // follower_count: suffixes, exact half-up rounding, INT's bound, forms that are not counts
            pin("\"index\": 900010", "\"1.5M\"", ""),
            pin("\"index\": 900011", "\"0.0000005M\"", ""),
            pin("\"index\": 900012", "\"2.147483647b\"", ""),
            pin("\"index\": 900013", "\"2.1474836475b\"", ""),
            pin("\"index\": 900014", "\"2.1474836474999b\"", ""),
            pin("\"index\": 900015", "\"00012k\"", ""),
            pin("\"index\": 900016", "\"1,000\"", ""),
            pin("\"index\": 900017", "\"3B\"", ""),
            pin("\"index\": 900018", "\"2.5\"", ""),
            pin("\"index\": 900019", "\"1.\"", ""),
            pin("\"index\": 900020", "\"-5\"", ""),
            pin("\"index\": 900021", "\"1.99999999999999999999999k\"", ""),
            pin("\"index\": 900022", "\"12K\"", ""),
            pin("\"index\": 900023", "\"0.0004999999999k\"", ""),
            // the key: index, else ind; strings of digits; trimmed; unknown fields ignored
            pin("\"ind\": 900030", "\"1k\"", ", \"nickname\": \"x\""),
            pin("\"index\": null, \"ind\": \"900031\"", "\"2k\"", ""),
            pin("\"index\": \"\", \"ind\": 900032", "\"3k\"", ""),
            pin("\"index\": \" 900033 \"", "\"4k\"", ""),
            pin("\"index\": 900034, \"ind\": 1", "\"5k\"", ""),
            // copies: identical to the day before's; and one whose copy the day before differs (the later file wins)
            pin("\"index\": 900040", "\"7k\"", ", \"title\": \"copy\""),
            pin("\"index\": 900040", "\"7k\"", ", \"title\": \"copy\""),
            pin("\"index\": 900041", "\"8k\"", ", \"title\": \"the day's\""),
            // a CR alone ends a line too, as Hadoop's line reader has it
            pin("\"index\": 900050", "\"1k\"", "") + "\r" + pin("\"index\": 900051", "\"1k\"", "") + "\r\n"
                    + pin("\"index\": 900052", "\"1k\"", ""),
            // Not here: a field twice in one object, where SPEC is silent; the pipeline takes the last (docs/decisions.md),
            // DuckDB's json functions the first.
            // a NUL inside a string, escaped: valid JSON
            pin("\"index\": 900053", "\"1k\"", ", \"title\": \"a\\u0000b\""),
            // blank lines: skipped, not counted
            "", "   ", "\t",
            // quarantine: not one JSON object
            "[{\"index\": 900100}]", "5", "\"text\"", "null", "{\"index\": 900101} {\"index\": 900102}",
            "{\"index\": 900103} trailing", "{'index': 900104}", "{\"index\": NaN}", "{\"index\": 900105,}",
            "{\"index\": 900106", "{\"index\": Infinity}",
            // quarantine: missing or bad keys
            "{}", "{\"index\": null}", "{\"IND\": 900110}", "{\"index\": -1}", "{\"index\": 5.0}", "{\"index\": \"abc\"}",
            "{\"index\": 1e3}", "{\"index\": [1]}", "{\"index\": 99999999999999999999}", "{\"index\": \"x\", \"ind\": 900111}",
            "{\"index\": \"9223372036854775808\"}",
            // quarantine: a NUL byte in the line itself, and a line over landing.max-line-bytes
            "{\"index\": 900120, \"title\": \"a\u0000b\"}",
            "{\"index\": 900121, \"title\": \"" + "x".repeat(DuckDbReadingIT.MAX_LINE_BYTES) + "\"}");

    static final List<String> PINS_DAY_BEFORE = List.of(
            pin("\"index\": 900040", "\"7k\"", ", \"title\": \"copy\""),
            pin("\"index\": 900041", "\"8k\"", ", \"title\": \"the day before's\""),
            pin("\"index\": 900042", "\"9k\"", ", \"title\": \"only the day before\""),
            "{\"index\": 900130, broken");

    private static String geo(int key, String timestamp, String latitude, String longitude, String country) {
        return "{\"ind\": " + key + ", \"timestamp\": " + timestamp + ", \"latitude\": " + latitude + ", \"longitude\": "
                + longitude + ", \"country\": " + country + "}";
    }

    static final List<String> GEO = List.of(
            // the accepted datetime forms, in UTC
            geo(900001, "\"2020-08-28 03:52:47\"", "12.5", "-45.25", "\"Chad \""),
            geo(900002, "\"2020:08:28 03:52:47\"", "\"-90\"", "\"180\"", "\"Chad\""),
            geo(900003, "\"2020-08-28T03:52:47\"", "90.0", "-180.0", "\" Chad\""),
            geo(900004, "\"2020-08-28T03:52:47.250\"", "1e1", "0", "\"Peru\""),
            geo(900005, "\"2020-08-28T03:52:47Z\"", "\" 45 \"", "\"7\"", "\"Peru\""),
            geo(900010, "\"2020-08-28T05:52:47+02:00\"", "0", "0", "\"Peru\""),
            geo(900011, "\"2020-08-27T22:22:47.5-05:30\"", "0", "0", "\"Peru\""),
            geo(900012, "\"2021-01-01T00:00:00.123456789\"", "0", "0", "\"Peru\""),
            geo(900013, "\"2019-12-31T23:30:00-01:00\"", "0", "0", "\"Peru\""),
            // other forms, impossible days and hours: null
            geo(900014, "\"2020-08-28\"", "0", "0", "\"Peru\""),
            geo(900015, "\"2020/08/28 03:52:47\"", "0", "0", "\"Peru\""),
            geo(900016, "\"2020-8-28 03:52:47\"", "0", "0", "\"Peru\""),
            geo(900017, "\"2020-02-30 00:00:00\"", "0", "0", "\"Peru\""),
            geo(900018, "\"2020-08-28 24:00:00\"", "0", "0", "\"Peru\""),
            geo(900019, "\"2020-08-28T03:52:47+0200\"", "0", "0", "\"Peru\""),
            geo(900020, "\"2020:08:28T03:52:47\"", "0", "0", "\"Peru\""),
            geo(900021, "\"2020-08-28 03:52:47Z\"", "0", "0", "\"Peru\""),
            geo(900022, "1598586767", "0", "0", "\"Peru\""),
            geo(900023, "\"2020-08-28T03:52:60\"", "0", "0", "\"Peru\""),
            geo(900024, "\"2020-02-29 12:00:00\"", "0", "0", "\"Peru\""),
            geo(900025, "\"2019-02-29 12:00:00\"", "0", "0", "\"Peru\""),
            // coordinates: out of range, not numbers, missing
            geo(900030, "null", "90.5", "0", "\"Peru\""),
            geo(900031, "null", "0", "-180.1", "\"Peru\""),
            geo(900032, "null", "\"abc\"", "0", "\"Peru\""),
            geo(900033, "null", "\"NaN\"", "0", "\"Peru\""),
            geo(900034, "null", "\"Infinity\"", "0", "\"Peru\""),
            geo(900035, "null", "null", "0", "null"),
            geo(900036, "null", "\"\"", "0", "\"\""),
            "{\"ind\": 900037}",
            // Java's number syntax, which a cast to DOUBLE takes and JSON does not: not numbers
            geo(900038, "null", "\"45d\"", "\"0x1p3\"", "\"Peru\""),
            // an offset beyond any zone's
            geo(900039, "\"2020-08-28T03:52:47+19:00\"", "0", "0", "\"Peru\""),
            // quarantine
            "{\"ind\": \"abc\", \"country\": \"Peru\"}", "{\"index\": 900040}", "[]", "{\"ind\": 1.5}");

    static final List<String> GEO_DAY_BEFORE = List.of(
            geo(900001, "\"2020-08-28 03:52:47\"", "12.5", "-45.25", "\"Chad \""),
            geo(900050, "\"2018-06-01 00:00:00\"", "1", "1", "\"Peru\""));

    private static String user(int key, String firstName, String lastName, String age, String dateJoined) {
        return "{\"ind\": " + key + ", \"first_name\": " + firstName + ", \"last_name\": " + lastName + ", \"age\": " + age
                + ", \"date_joined\": " + dateJoined + "}";
    }

    static final List<String> USERS = List.of(
            // user_name: one space between, one alone, none
            user(900001, "\"Ann \"", "\" Lee\"", "\"34\"", "\"2016-03-01 10:00:00\""),
            user(900002, "\"Ann\"", "null", "17", "\"2015-01-01T00:00:00Z\""),
            user(900003, "\"\"", "\"Lee\"", "18", "\"2014-12-31 23:59:59\""),
            user(900004, "null", "null", "24", "\"2020-12-31 23:59:59\""),
            user(900005, "\"A\\tB\"", "\"C\"", "25", "\"2021-01-01 00:00:00\""),
            // age: 0..150, integers only, groups' edges
            user(900010, "\"U\"", "\"Ten\"", "35", "\"2017:06:01 00:00:00\""),
            user(900011, "\"U\"", "\"Eleven\"", "36", "\"2017-06-01T00:00:00+03:00\""),
            user(900012, "\"U\"", "\"Twelve\"", "50", "\"2016-06-01 00:00:00\""),
            user(900013, "\"U\"", "\"Thirteen\"", "51", "\"2016-06-01 00:00:00\""),
            user(900014, "\"U\"", "\"Fourteen\"", "150", "\"2016-06-01 00:00:00\""),
            user(900015, "\"U\"", "\"Fifteen\"", "151", "\"2016-06-01 00:00:00\""),
            user(900016, "\"U\"", "\"Sixteen\"", "0", "\"2016-06-01 00:00:00\""),
            user(900017, "\"U\"", "\"Seventeen\"", "-1", "\"2016-06-01 00:00:00\""),
            user(900018, "\"U\"", "\"Eighteen\"", "34.0", "\"2016-06-01 00:00:00\""),
            user(900019, "\"U\"", "\"Nineteen\"", "\"abc\"", "\"2016-06-01 00:00:00\""),
            user(900020, "\"U\"", "\"Twenty\"", "\" 40 \"", "\"2016-06-01 00:00:00\""),
            user(900021, "\"U\"", "\"TwentyOne\"", "99999999999", "\"2016-06-01 00:00:00\""),
            // the same user (name, age, date) on two keys counts once in users_joined_by_year
            user(900030, "\"Same\"", "\"Person\"", "40", "\"2016-06-01 00:00:00\""),
            user(900031, "\"Same\"", "\"Person\"", "40", "\"2016-06-01 00:00:00\""),
            // quarantine
            "{\"ind\": -5}", "{\"first_name\": \"No\", \"last_name\": \"Key\"}", "{\"ind\": 900040,}");

    static final List<String> USERS_DAY_BEFORE = List.of(
            user(900001, "\"Ann \"", "\" Lee\"", "\"34\"", "\"2016-03-01 10:00:00\""),
            user(900050, "\"Day\"", "\"Before\"", "60", "\"2015-05-05 05:05:05\""));
}
