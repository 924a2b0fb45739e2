package io.pinpipeline.jobs.batch;

import static io.pinpipeline.jobs.testing.DatasetAssert.assertDatasetEquals;
import static io.pinpipeline.jobs.testing.TestData.row;
import static io.pinpipeline.jobs.testing.TestData.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pinpipeline.jobs.clean.Quarantine;
import io.pinpipeline.jobs.clean.RawRecords;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.report.CleaningReport;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.settings.SettingsException;
import io.pinpipeline.jobs.silver.CleaningCounts;
import io.pinpipeline.jobs.testing.LocalLake;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Encoders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the reader does with the files and bytes it finds: every line in, or a clear failure. */
class LandingFilesIT {
    static final LandingDate MAY_1 = LandingDate.parse("2024-05-01");

    @TempDir
    Path root;

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            bytes.writeBytes(part);
        }
        return bytes.toByteArray();
    }

    @Test
    void aMissingLandingRootOrTopicFolderIsAConfigurationErrorNamingThePath() {
        LocalLake nothing = new LocalLake(root);
        assertThatThrownBy(() -> CleanPins.run(nothing.lake(), MAY_1))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("landing.root " + root.resolve("landing") + " does not exist");

        nothing.land(RecordKind.GEO, "2024-05-01", "a.json", List.of("{\"ind\": 1}"));
        assertThatThrownBy(() -> CleanPins.run(nothing.lake(), MAY_1))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("topic folder " + root.resolve("landing/topics/" + LocalLake.PREFIX + ".pin")
                        + " does not exist");
        assertThat(nothing.lake().exists("pin")).isFalse();
    }

    @Test
    void aMissingDayFolderOfAnExistingTopicIsAnEmptyRun() {
        LocalLake local = new LocalLake(root);
        local.land(RecordKind.PIN, "2024-04-01", "a.json", List.of("{\"index\": 1}"));
        CleaningReport report = CleanPins.run(local.lake(), MAY_1);
        assertThat(report.counts()).isEqualTo(CleaningCounts.NONE);
        assertThat(local.lake().read("pin").count()).isZero();
    }

    @Test
    void gzipFilesAreReadAndOtherFilesAreSkippedAndCounted() throws IOException {
        LocalLake local = new LocalLake(root);
        local.land(RecordKind.PIN, "2024-05-01", "p.pin+0+0000000000.json", List.of("{\"index\": 1, \"category\": \"art\"}"));
        local.landBytes(RecordKind.PIN, "2024-05-01", "p.pin+0+0000000001.json.gz",
                gzip("{\"index\": 2, \"category\": \"diy\"}\n{\"index\": 3, \"category\": \"food\"}\n"));
        local.landBytes(RecordKind.PIN, "2024-05-01", "notes.txt", "{\"index\": 9}\n".getBytes(StandardCharsets.UTF_8));
        local.landBytes(RecordKind.PIN, "2024-05-01", "_SUCCESS", new byte[0]);
        local.landBytes(RecordKind.PIN, "2024-05-01", ".p.pin+0+0000000004.json.tmp", "{\"index\": 8}\n".getBytes(StandardCharsets.UTF_8));
        Path hidden = Files.createDirectories(local.dayFolder(RecordKind.PIN, "2024-05-01").resolve("_temporary"));
        Files.writeString(hidden.resolve("part.json"), "{\"index\": 7}\n");

        CleaningReport report = CleanPins.run(local.lake(), MAY_1);

        assertThat(report.counts()).isEqualTo(new CleaningCounts(3, 3, 3, 0, 0, 0));
        assertThat(report.filesSkipped()).isEqualTo(4);
        assertDatasetEquals(table("ind BIGINT, category STRING", row(1L, "art"), row(2L, "diy"), row(3L, "food")),
                local.lake().read("pin").select("ind", "category"));
    }

    @Test
    void badBytesAreEachQuarantinedWithTheirOwnReason() {
        LocalLake local = new LocalLake(root);
        String good = "{\"index\": 1, \"title\": \"ok\"}";
        byte[] invalidUtf8 = concat("{\"index\": 2, \"title\": \"caf".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC3, 0x28}, "\"}".getBytes(StandardCharsets.UTF_8));
        String nul = "{\"index\": 3, \"title\": \"a\0b\"}";
        String hugeValue = "{\"index\": 4, \"title\": \"" + "v".repeat(25_000_000) + "\"}";
        local.landBytes(RecordKind.PIN, "2024-05-01", "mixed.json", concat(
                (good + "\n").getBytes(StandardCharsets.UTF_8), invalidUtf8, "\n".getBytes(StandardCharsets.UTF_8),
                (nul + "\n" + hugeValue + "\n").getBytes(StandardCharsets.UTF_8)));
        // A compressed file under a .json name: its first line starts with gzip's magic number.
        byte[] compressed = gzip("{\"index\": 5}\n".repeat(200));
        local.landBytes(RecordKind.PIN, "2024-05-01", "compressed.json", compressed);
        long compressedLines = Arrays.stream(new String(compressed, StandardCharsets.ISO_8859_1).split("\r\n|\r|\n"))
                .filter(line -> !line.replaceAll("[ \\t\\x0B\\f]", "").isEmpty()).count();

        CleaningReport report = CleanPins.run(local.lake(), MAY_1);

        assertThat(report.counts()).isEqualTo(new CleaningCounts(4 + compressedLines, 1, 1, 0, 0, 3 + compressedLines));
        assertThat(local.lake().read("pin").select("ind").as(Encoders.LONG()).collectAsList()).containsExactly(1L);
        var quarantine = local.lake().read(Quarantine.TABLE);
        assertDatasetEquals(table("reason STRING, raw STRING",
                        row(RawRecords.INVALID_UTF8, "{\"index\": 2, \"title\": \"caf\uFFFD(\"}"),
                        row(RawRecords.NUL_BYTE, nul),
                        row(RawRecords.LINE_TOO_LONG, hugeValue.substring(0, RawRecords.TOO_LONG_RAW_CHARS))),
                quarantine.filter("source LIKE '%/mixed.json'").select("reason", "raw"));
        var fromCompressed = quarantine.filter("source LIKE '%/compressed.json'");
        assertThat(fromCompressed.count()).isEqualTo(compressedLines);
        assertThat(fromCompressed.filter("raw LIKE '\u001F%'").select("reason").as(Encoders.STRING()).collectAsList())
                .containsExactly(RawRecords.GZIP_DATA);
        assertThat(fromCompressed.select("reason").distinct().as(Encoders.STRING()).collectAsList())
                .isSubsetOf(RawRecords.GZIP_DATA, RawRecords.INVALID_UTF8, RawRecords.NUL_BYTE, RawRecords.NOT_AN_OBJECT);
    }

    @Test
    void theLineLimitIsASetting() {
        LocalLake local = new LocalLake(root, Map.of("landing.max-line-bytes", "40"));
        local.land(RecordKind.USER, "2024-05-01", "a.json", List.of("{\"ind\": 1, \"first_name\": \"Ann\"}",
                "{\"ind\": 2, \"first_name\": \"Bartholomew-Maximilian\"}"));
        CleaningReport report = CleanUsers.run(local.lake(), MAY_1);
        assertThat(report.counts()).isEqualTo(new CleaningCounts(2, 1, 1, 0, 0, 1));
        assertThat(local.lake().read(Quarantine.TABLE).select("reason").as(Encoders.STRING()).collectAsList())
                .containsExactly(RawRecords.LINE_TOO_LONG);
    }
}
