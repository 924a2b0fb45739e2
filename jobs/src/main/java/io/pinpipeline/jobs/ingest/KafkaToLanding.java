package io.pinpipeline.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;

import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.JobArgs;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.jobs.spark.Sessions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lands the Kafka topics {@code <prefix>.pin|geo|user} in the landing zone exactly as MSK Connect's S3 sink does
 * (SPEC 3, {@code conf/msk-connect/s3-sink.properties}): {@code <landing>/topics/<topic>/dt=<record day, UTC>/
 * <topic>+<partition>+<first offset>.json}, each record's value one line. For local runs, and for users without
 * MSK Connect.
 *
 * <p>A structured-streaming query with an available-now trigger: it lands what the topics hold since the last
 * run, then stops. Its checkpoint ({@code <checkpoints.root>/kafka-to-landing}) keeps the offsets, so a re-run
 * lands only new records; a micro-batch that is replayed after a crash writes the same files again under the
 * same names (the file name is its first offset), so nothing is written twice.
 *
 * <p>Usage: {@code KafkaToLanding [--env NAME] [--set key=value]}; locally {@code ./pipeline run KafkaToLanding}.
 */
public final class KafkaToLanding {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaToLanding.class);
    static final String QUERY_NAME = "kafka-to-landing";

    private KafkaToLanding() {
    }

    public static void main(String[] args) {
        Settings settings = Settings.load(JobArgs.parse(args));
        run(new Lake(Sessions.getOrCreate("KafkaToLanding"), settings), settings);
    }

    /** Lands everything new in the topics, then returns the counts of this run. */
    public static LandingWriter.Counts run(Lake lake, Settings settings) {
        long started = System.nanoTime();
        Settings.Kafka kafka = settings.kafka();
        String topics = Arrays.stream(RecordKind.values())
                .map(kind -> kind.topic(settings.prefix()))
                .collect(Collectors.joining(","));
        Dataset<Row> records = lake.spark().readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", kafka.bootstrapServers())
                .option("kafka.security.protocol", kafka.securityProtocol())
                .option("subscribe", topics)
                .option("startingOffsets", kafka.startingOffsets())
                .option("maxOffsetsPerTrigger", kafka.maxOffsetsPerTrigger())
                .load()
                // The S3 sink's time-based partitioner on the record time; the session's zone is UTC.
                .select(col("topic"), col("partition"), col("offset"),
                        date_format(col("timestamp"), "yyyy-MM-dd").as(LandingWriter.DAY),
                        col("value").cast("string").as(LandingWriter.VALUE));

        Map<String, String> topicFolders = new LinkedHashMap<>();
        for (RecordKind kind : RecordKind.values()) {
            topicFolders.put(kind.topic(settings.prefix()), lake.topicFolder(kind));
        }
        LandingWriter writer = new LandingWriter(topicFolders, lake.spark());
        String checkpoint = lake.checkpoint(QUERY_NAME);
        try {
            StreamingQuery query = records.writeStream()
                    .queryName(QUERY_NAME)
                    .option("checkpointLocation", checkpoint)
                    .trigger(Trigger.AvailableNow())
                    .foreachBatch((VoidFunction2<Dataset<Row>, Long>) writer::write)
                    .start();
            query.awaitTermination();
        } catch (TimeoutException | StreamingQueryException e) {
            throw new IllegalStateException("KafkaToLanding failed reading " + topics + " from "
                    + kafka.bootstrapServers() + ": " + e.getMessage(), e);
        }
        LandingWriter.Counts counts = writer.counts();
        LOG.info("KafkaToLanding: {} from {} into {}/topics in {} ms (checkpoint {})", counts, topics,
                settings.landingRoot(), (System.nanoTime() - started) / 1_000_000, checkpoint);
        return counts;
    }
}
