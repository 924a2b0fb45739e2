package io.pinpipeline.jobs.stream;

import static io.pinpipeline.jobs.records.Columns.RAW;
import static io.pinpipeline.jobs.records.Columns.SOURCE;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import io.pinpipeline.jobs.clean.Quarantine;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.jobs.stream.kinesis.KinesisSourceProvider;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;

/**
 * A Kinesis stream as a streaming Dataset of {@code raw} (the record's data, UTF-8 text) and {@code source}
 * ({@code kinesis:<stream>/<shard>/<sequence number>}, which names the record in quarantine).
 *
 * <p>The source comes from {@code streaming.source}: on Databricks its built-in {@code kinesis} source; elsewhere
 * this project's {@code pinpipeline-kinesis} (a DataSource V2 source on the AWS SDK v2). Both give {@code data},
 * {@code stream}, {@code shardId} and {@code sequenceNumber} columns.
 */
public final class KinesisRecords {
    private KinesisRecords() {
    }

    public static Dataset<Row> read(SparkSession spark, Settings settings, String stream) {
        Settings.Streaming streaming = settings.streaming();
        DataStreamReader reader = spark.readStream()
                .format(streaming.source())
                .option("streamName", stream)
                .option("region", settings.kinesis().region())
                .option("initialPosition", streaming.initialPosition());
        if (streaming.source().equals(KinesisSourceProvider.FORMAT) && settings.kinesis().endpoint().isPresent()) {
            reader = reader.option("endpointUrl", settings.kinesis().endpoint().get().toString());
        }
        return reader.load().select(
                col("data").cast("string").as(RAW),
                concat(lit(Quarantine.STREAM_SOURCE_PREFIX), col("stream"), lit("/"), col("shardId"), lit("/"),
                        col("sequenceNumber")).as(SOURCE));
    }
}
