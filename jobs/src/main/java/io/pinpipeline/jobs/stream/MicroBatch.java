package io.pinpipeline.jobs.stream;

import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.silver.CleaningCounts;
import io.pinpipeline.jobs.silver.CleaningFlow;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a streaming job does with one micro-batch of stream records ({@code raw}: the record's data as text,
 * {@code source}: {@code kinesis:<stream>/<shard>/<sequence number>}): the batch lane's {@link CleaningFlow} into
 * {@code <prefix>_<kind>_table}, the bad records added to quarantine. A micro-batch replayed after a crash, or a
 * stream read again after its checkpoint was reset, changes nothing: the upsert rewrites no equal row, and the
 * quarantine adds only records (by source) it does not hold.
 */
public final class MicroBatch {
    private MicroBatch() {
    }

    public static CleaningCounts apply(Lake lake, String table, RecordKind kind, Dataset<Row> batch) {
        // A task a shard is a stage's worth of tiny tasks for each of the flow's passes over the cached batch; as
        // many partitions as the cluster has cores do the same work with less scheduling.
        Dataset<Row> sized = batch.coalesce(lake.spark().sparkContext().defaultParallelism());
        return CleaningFlow.run(lake, kind, sized, table, (rows, count) -> {
            // Most micro-batches hold no bad record: no quarantine commit for them.
            if (count > 0) {
                lake.addQuarantine(kind, rows);
            }
        });
    }
}
