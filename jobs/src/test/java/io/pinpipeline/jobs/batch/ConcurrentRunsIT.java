package io.pinpipeline.jobs.batch;

import static io.pinpipeline.jobs.testing.DatasetAssert.assertDatasetEquals;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.jobs.clean.Quarantine;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.Columns;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.stream.MicroBatch;
import io.pinpipeline.jobs.testing.JobProcess;
import io.pinpipeline.jobs.testing.LocalLake;
import io.pinpipeline.jobs.testing.TestSpark;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes that meet: the DAG runs two dates at once ({@code max_active_runs=2}: one MERGE target, one quarantine
 * partition, overlapping lateness windows), and a streaming job adds quarantine rows while a batch job replaces
 * its slice. Delta refuses the later of two conflicting commits; the lake tries it again. The final tables must equal
 * a serial run's.
 */
class ConcurrentRunsIT {
    static final String MAY_1 = "2024-05-01";
    static final String MAY_2 = "2024-05-02";

    @TempDir
    Path root;

    /**
     * 300 pins of the real capture for May 1; for May 2 the same pins under other keys and half of May 1's again (its
     * run reads May 1 too: the windows of the two runs overlap).
     */
    private static void landTwoDays(LocalLake local) {
        List<String> capture;
        try (InputStream in = ConcurrentRunsIT.class.getResourceAsStream("/capture/pin.jsonl")) {
            capture = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().limit(300).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> may1 = new ArrayList<>(capture);
        may1.addAll(List.of("[\"may 1\"]", "{\"index\": \"one\"}"));
        List<String> may2 = new ArrayList<>(capture.stream()
                .map(line -> line.replaceFirst("\"index\": ?(\\d+)", "\"index\": 1000$1")).toList());
        may2.addAll(capture.subList(0, capture.size() / 2));
        may2.addAll(List.of("[\"may 2\"]", "{}"));
        local.land(RecordKind.PIN, MAY_1, "p.pin+0+0000000000.json", may1);
        local.land(RecordKind.PIN, MAY_2, "p.pin+0+0000002264.json", may2);
    }

    /** The quarantine without its clock, and with sources relative to the landing zone (the lakes live apart). */
    private static Dataset<Row> quarantineWithoutTime(Lake lake) {
        return lake.read(Quarantine.TABLE).drop(Columns.QUARANTINED_AT)
                .withColumn(Columns.SOURCE, regexp_replace(col(Columns.SOURCE), "^.*/landing/", "landing/"));
    }

    @Test
    void cleanPinsForTwoDatesAsTwoConcurrentProcessesGivesTheSerialTables() {
        LocalLake serial = new LocalLake(root.resolve("serial"));
        landTwoDays(serial);
        CleanPins.run(serial.lake(), LandingDate.parse(MAY_1));
        CleanPins.run(serial.lake(), LandingDate.parse(MAY_2));

        Path concurrentRoot = root.resolve("concurrent");
        LocalLake concurrent = new LocalLake(concurrentRoot);
        landTwoDays(concurrent);
        List<JobProcess> jobs = List.of(MAY_1, MAY_2).stream()
                .map(day -> JobProcess.start(CleanPins.class.getName(), List.of("--date", day),
                        LocalLake.locations(concurrentRoot), root.resolve("clean-pins-" + day + ".log")))
                .toList();
        for (JobProcess job : jobs) {
            assertThat(job.exitStatus()).as(job.logTail()).isZero();
            System.out.println("conflicting commits tried again: " + job.log().lines()
                    .filter(line -> line.contains("a concurrent commit conflicted")).count());
        }

        assertDatasetEquals(serial.lake().read("pin"), concurrent.lake().read("pin"));
        assertDatasetEquals(quarantineWithoutTime(serial.lake()), quarantineWithoutTime(concurrent.lake()));
    }

    /** Micro-batches of stream pins, each with a bad record, as a streaming job hands them over. */
    private static List<Dataset<Row>> streamBatches(int batches) {
        StructType schema = new StructType().add(Columns.RAW, DataTypes.StringType).add(Columns.SOURCE, DataTypes.StringType);
        return IntStream.range(0, batches).mapToObj(batch -> TestSpark.session().createDataFrame(List.of(
                RowFactory.create("{\"index\": " + (500_000 + batch) + ", \"category\": \"art\"}",
                        "kinesis:streaming-p-pin/shardId-000000000000/" + (2 * batch)),
                RowFactory.create("[\"stream " + batch + "\"]",
                        "kinesis:streaming-p-pin/shardId-000000000000/" + (2 * batch + 1))), schema)).toList();
    }

    @Test
    void cleanPinsWhileAStreamingJobAddsToQuarantineGivesTheSerialTables() throws Exception {
        String streamTable = RecordKind.PIN.streamingTable(LocalLake.PREFIX);
        LocalLake serial = new LocalLake(root.resolve("serial"));
        landTwoDays(serial);
        CleanPins.run(serial.lake(), LandingDate.parse(MAY_2));
        for (Dataset<Row> batch : streamBatches(5)) {
            MicroBatch.apply(serial.lake(), streamTable, RecordKind.PIN, batch);
        }

        LocalLake concurrent = new LocalLake(root.resolve("concurrent"));
        landTwoDays(concurrent);
        Lake lake = concurrent.lake();
        // Both writers start on an existing quarantine table, so that they meet on it, not on creating it.
        MicroBatch.apply(lake, streamTable, RecordKind.PIN, streamBatches(1).get(0));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> batchJob = pool.submit(() -> CleanPins.run(lake, LandingDate.parse(MAY_2)));
            Future<?> streamingJob = pool.submit(() -> {
                for (Dataset<Row> batch : streamBatches(5)) {
                    MicroBatch.apply(lake, streamTable, RecordKind.PIN, batch);
                }
            });
            batchJob.get();
            streamingJob.get();
        } finally {
            pool.shutdown();
        }

        assertDatasetEquals(serial.lake().read("pin"), lake.read("pin"));
        assertDatasetEquals(serial.lake().read(streamTable), lake.read(streamTable));
        assertDatasetEquals(quarantineWithoutTime(serial.lake()), quarantineWithoutTime(lake));
        System.out.println("conflicting commits tried again: " + lake.conflictsRetried());
    }
}
