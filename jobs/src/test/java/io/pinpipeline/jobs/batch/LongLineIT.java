package io.pinpipeline.jobs.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.jobs.clean.Quarantine;
import io.pinpipeline.jobs.clean.RawRecords;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.testing.JobProcess;
import io.pinpipeline.jobs.testing.LocalLake;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 100 MB line in a landing file, cleaned by CleanPins in its own JVM with the launcher's heap. */
class LongLineIT {
    static final int LONG_LINE_CHARS = 100 * 1024 * 1024;

    @TempDir
    Path root;

    @Test
    void aHundredMegabyteLineGoesToQuarantineAndTheJobSucceedsWithTheLaunchersHeap() throws IOException {
        LocalLake local = new LocalLake(root);
        Path file = local.dayFolder(RecordKind.PIN, "2024-05-01").resolve("p.pin+0+0000000000.json");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("{\"index\": 1, \"category\": \"art\"}\n{\"index\": 2, \"title\": \"");
            String block = "x".repeat(1024 * 1024);
            for (int written = 0; written < LONG_LINE_CHARS; written += block.length()) {
                out.write(block);
            }
            out.write("\"}\n{\"index\": 3, \"category\": \"diy\"}\n");
        }

        JobProcess job = JobProcess.start(CleanPins.class.getName(), List.of("--date", "2024-05-01"),
                LocalLake.locations(root), root.resolve("clean-pins.log"));
        assertThat(job.exitStatus()).as(job.logTail()).isZero();
        assertThat(job.log()).contains("pin 2024-05-01: 3 lines read = 2 rows upserted (2 new, 0 changed)"
                + " + 0 duplicates collapsed + 1 quarantined");

        Lake lake = local.lake();
        assertThat(lake.read("pin").select("ind").as(Encoders.LONG()).collectAsList()).containsExactlyInAnyOrder(1L, 3L);
        List<Row> quarantined = lake.read(Quarantine.TABLE).select("reason", "raw").collectAsList();
        assertThat(quarantined).hasSize(1);
        assertThat(quarantined.get(0).getString(0)).isEqualTo(RawRecords.LINE_TOO_LONG);
        assertThat(quarantined.get(0).getString(1))
                .isEqualTo(("{\"index\": 2, \"title\": \"" + "x".repeat(RawRecords.TOO_LONG_RAW_CHARS))
                        .substring(0, RawRecords.TOO_LONG_RAW_CHARS));
    }
}
