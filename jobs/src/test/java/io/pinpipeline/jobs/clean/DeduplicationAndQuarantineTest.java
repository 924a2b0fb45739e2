package io.pinpipeline.jobs.clean;

import static io.pinpipeline.jobs.testing.DatasetAssert.assertDatasetEquals;
import static io.pinpipeline.jobs.testing.TestData.row;
import static io.pinpipeline.jobs.testing.TestData.table;

import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.testing.TestData;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class DeduplicationAndQuarantineTest {

    @Test
    void keepsOneRowPerKeyChosenByTheTieBreakersNotByReadOrder() {
        var records = table("ind BIGINT, source STRING, raw STRING, title STRING",
                row(1L, "dt=2024-05-01/a.json", "r1", "first"),
                row(1L, "dt=2024-05-02/a.json", "r2", "later file"),
                row(2L, "a.json", "{b}", "b"),
                row(2L, "a.json", "{a}", "a"),
                row(3L, "a.json", "r", "only"));
        assertDatasetEquals(table("ind BIGINT, source STRING, raw STRING, title STRING",
                        row(1L, "dt=2024-05-02/a.json", "r2", "later file"),
                        row(2L, "a.json", "{b}", "b"),
                        row(3L, "a.json", "r", "only")),
                Deduplication.onePerKey(records, "ind", "source", "raw"));
    }

    @Test
    void rankingOnlyTheCopiesOfRepeatedKeysChoosesTheSameRows() {
        var records = table("ind BIGINT, source STRING, raw STRING, title STRING",
                row(1L, "dt=2024-05-01/a.json", "r1", "first"),
                row(1L, "dt=2024-05-02/a.json", "r2", "later file"),
                row(2L, "a.json", "{b}", "b"),
                row(2L, "a.json", "{a}", "a"),
                row(3L, "a.json", "r", "only"),
                row(null, "a.json", "n1", "no key"),
                row(null, "b.json", "n2", "no key, later file"));
        var repeated = Deduplication.repeatedKeys(records, "ind");
        assertDatasetEquals(table("ind BIGINT", row(1L), row(2L), row((Object) null)), repeated);
        assertDatasetEquals(Deduplication.onePerKey(records, "ind", "source", "raw"),
                Deduplication.onePerKey(records, repeated, "ind", "source", "raw"));
        assertDatasetEquals(table("ind BIGINT, source STRING, raw STRING, title STRING",
                        row(1L, "dt=2024-05-02/a.json", "r2", "later file"),
                        row(2L, "a.json", "{b}", "b"),
                        row(3L, "a.json", "r", "only"),
                        row(null, "b.json", "n2", "no key, later file")),
                Deduplication.onePerKey(records, repeated, "ind", "source", "raw"));
    }

    @Test
    void quarantineKeepsTheRawLineTheReasonAndTheLandingDate() {
        var parsed = RawRecords.parse(TestData.lines("{\"ind\": 1}", "[1]", "{\"ind\": \"x\"}", "{}"), RecordKind.GEO, TestData.MAX_LINE_BYTES);
        assertDatasetEquals(table("kind STRING, reason STRING, raw STRING, source STRING, run_date DATE",
                        row("geo", RawRecords.NOT_AN_OBJECT, "[1]", TestData.SOURCE, LocalDate.of(2024, 5, 1)),
                        row("geo", RawRecords.BAD_KEY, "{\"ind\": \"x\"}", TestData.SOURCE, LocalDate.of(2024, 5, 1)),
                        row("geo", RawRecords.MISSING_KEY, "{}", TestData.SOURCE, LocalDate.of(2024, 5, 1))),
                Quarantine.rows(parsed, RecordKind.GEO));
    }

    @Test
    void theFlatLayoutHasNoLandingDate() {
        var lines = table("raw STRING, source STRING",
                row("[]", "file:/l/topics/p.geo/partition=0/x.json"),
                row("[]", "file:/l/topics/p.geo/dt=2024-02-30/x.json"));
        assertDatasetEquals(table("run_date DATE", row((Object) null), row((Object) null)),
                Quarantine.rows(RawRecords.parse(lines, RecordKind.GEO, TestData.MAX_LINE_BYTES), RecordKind.GEO).select("run_date"));
    }
}
