package io.pinpipeline.jobs.clean;

import static io.pinpipeline.jobs.testing.TestData.evaluate;
import static io.pinpipeline.jobs.testing.TestData.utc;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FieldsTest {

    @Test
    void trimsOnlyTheSpaceCharacterAndEmptyBecomesNull() {
        assertThat(evaluate(Fields::trimmedOrNull, "  a b  ", "\ta\t", "a\u00a0", "\nx\n", "   ", "", null))
                .containsExactly("a b", "\ta\t", "a\u00a0", "\nx\n", null, null, null);
    }

    @Test
    void placeholdersBecomeNullAndOtherValuesStay() {
        assertThat(evaluate(text -> Fields.withoutPlaceholders(text, "Untitled", "None"),
                "Untitled", "None", "Untitled!", "untitled", null))
                .containsExactly(null, null, "Untitled!", "untitled", null);
    }

    @Test
    void integersAreAsciiDigitsOnly() {
        assertThat(evaluate(Fields::nonNegativeLong, "0", "123", "007", "5.0", "-1", "+1", "1e3", "12a", "",
                "9223372036854775807", "9223372036854775808", "\u0661\u0662"))
                .containsExactly(0L, 123L, 7L, null, null, null, null, null, null,
                        9223372036854775807L, null, null);
        assertThat(evaluate(Fields::nonNegativeInt, "2147483647", "2147483648", "34"))
                .containsExactly(2147483647, null, 34);
    }

    @Test
    void finiteNumbersOnly() {
        assertThat(evaluate(Fields::finiteDouble, "-5.34445", "1e2", "NaN", "Infinity", "-Infinity", "abc", null))
                .containsExactly(-5.34445, 100.0, null, null, null, null, null);
    }

    @Test
    void numbersInJavaSyntaxThatJsonDoesNotHaveAreNotNumbers() {
        assertThat(evaluate(Fields::finiteDouble, "45d", "0x1p3", "1f", "+5", ".5", "5.", "007", "-0", "1.5E+2", "1e400"))
                .containsExactly(null, null, null, null, null, null, null, -0.0, 150.0, null);
    }

    @Test
    void timestampsInTheThreeAcceptedFormsAreUtc() {
        assertThat(evaluate(Fields::timestamp,
                "2020-08-28 03:52:47",
                "2020:08:28 03:52:47",
                "2020-08-28T03:52:47",
                "2020-08-28T03:52:47.250",
                "2020-08-28T03:52:47Z",
                "2020-08-28T05:52:47+02:00",
                "2020-08-27T22:22:47.5-05:30"))
                .containsExactly(utc("2020-08-28T03:52:47"), utc("2020-08-28T03:52:47"), utc("2020-08-28T03:52:47"),
                        utc("2020-08-28T03:52:47.250"), utc("2020-08-28T03:52:47"), utc("2020-08-28T03:52:47"),
                        utc("2020-08-28T03:52:47.500"));
    }

    @Test
    void anyOtherDatetimeFormIsNull() {
        String[] others = {"2020-08-28", "2020/08/28 03:52:47", "28-08-2020 03:52:47", "2020-8-28 03:52:47",
                "2020-02-30 00:00:00", "2020-08-28 24:00:00", "2020-08-28T03:52:47+0200", "2020:08:28T03:52:47",
                "2020-08-28 03:52:47Z", "1598586767", "yesterday", "", null};
        assertThat(evaluate(Fields::timestamp, others)).containsOnlyNulls().hasSize(others.length);
        assertThat(Arrays.asList(others)).hasSize(13);
    }
}
