package io.pinpipeline.jobs.ingest;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one micro-batch of Kafka records into the landing zone as the S3 sink names its files: per topic,
 * partition and day, one file {@code <topic folder>/dt=<day>/<topic>+<partition>+<first offset, 10 digits>.json}
 * holding the values in offset order, one a line. The name depends only on the records, so a replayed batch
 * rewrites the same files with the same lines. Each file is written under a hidden name and renamed into place:
 * readers never see half a file (Spark skips names that start with a dot).
 *
 * <p>Executors write their own partitions through Hadoop's file system (local, s3a, dbfs alike); the driver's
 * Hadoop settings travel with the task as plain strings.
 */
public final class LandingWriter implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LandingWriter.class);
    static final String DAY = "dt";
    static final String VALUE = "value";

    private final Map<String, String> topicFolders;
    private final HashMap<String, String> hadoopSettings = new HashMap<>();
    private final transient AtomicLong batches = new AtomicLong();
    private final transient AtomicLong records = new AtomicLong();

    /** What a run landed: micro-batches, records (one line each), and records without a value (skipped). */
    public record Counts(long batches, long records) {
        @Override
        public String toString() {
            return records + " records in " + batches + " micro-batches";
        }
    }

    LandingWriter(Map<String, String> topicFolders, SparkSession spark) {
        this.topicFolders = Map.copyOf(topicFolders);
        spark.sparkContext().hadoopConfiguration().forEach(entry -> hadoopSettings.put(entry.getKey(), entry.getValue()));
    }

    /** The micro-batch function: lands the batch's records; records with a null value (deletes) carry nothing to land. */
    void write(Dataset<Row> batch, Long batchId) {
        Dataset<Row> lines = batch.where(col(VALUE).isNotNull())
                .repartition(col("topic"), col("partition"), col(DAY))
                .sortWithinPartitions("topic", "partition", DAY, "offset");
        // Counted while written: a separate count() would fetch the batch from Kafka a second time. Spark applies
        // an action's accumulator updates once per successful task, so retried tasks do not count twice.
        LongAccumulator landed = batch.sparkSession().sparkContext().longAccumulator("landed records");
        lines.foreachPartition((ForeachPartitionFunction<Row>) rows -> writePartition(rows, landed));
        long count = landed.value();
        batches.incrementAndGet();
        records.addAndGet(count);
        LOG.info("KafkaToLanding: micro-batch {} landed {} records", batchId, count);
    }

    Counts counts() {
        return new Counts(batches.get(), records.get());
    }

    /** One Spark partition, sorted by topic, partition, day and offset: a file for each run of equal keys. */
    private void writePartition(Iterator<Row> rows, LongAccumulator landed) throws IOException {
        Configuration conf = new Configuration(false);
        hadoopSettings.forEach(conf::set);
        FileOut file = null;
        try {
            while (rows.hasNext()) {
                Row row = rows.next();
                String topic = row.getAs("topic");
                int partition = row.getAs("partition");
                String day = row.getAs(DAY);
                if (file == null || !file.holds(topic, partition, day)) {
                    if (file != null) {
                        file.commit();
                    }
                    file = new FileOut(conf, folderOf(topic), topic, partition, day, row.getAs("offset"));
                }
                file.append(row.getAs(VALUE));
                landed.add(1);
            }
            if (file != null) {
                file.commit();
                file = null;
            }
        } finally {
            if (file != null) {
                file.abandon();
            }
        }
    }

    private String folderOf(String topic) {
        return Objects.requireNonNull(topicFolders.get(topic), () -> "no landing folder for topic " + topic);
    }

    /** One landing file being written under its hidden name. */
    private static final class FileOut {
        private final String topic;
        private final int partition;
        private final String day;
        private final FileSystem fs;
        private final Path target;
        private final Path temporary;
        private final OutputStream out;

        FileOut(Configuration conf, String topicFolder, String topic, int partition, String day, long firstOffset)
                throws IOException {
            this.topic = topic;
            this.partition = partition;
            this.day = day;
            Path folder = new Path(topicFolder + "/" + DAY + "=" + day);
            String name = String.format("%s+%d+%010d.json", topic, partition, firstOffset);
            this.target = new Path(folder, name);
            this.temporary = new Path(folder, "." + name + ".tmp");
            this.fs = folder.getFileSystem(conf);
            // No .crc side files next to landing files on a local disk: the S3 sink writes none either.
            fs.setWriteChecksum(false);
            this.out = fs.create(temporary, true);
        }

        boolean holds(String otherTopic, int otherPartition, String otherDay) {
            return topic.equals(otherTopic) && partition == otherPartition && day.equals(otherDay);
        }

        void append(String value) throws IOException {
            out.write(value.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }

        /** Moves the file into place, replacing what a replayed batch wrote before. */
        void commit() throws IOException {
            out.close();
            if (fs.exists(target)) {
                fs.delete(target, false);
            }
            if (!fs.rename(temporary, target)) {
                throw new IOException("cannot rename " + temporary + " to " + target);
            }
        }

        void abandon() {
            try {
                out.close();
                fs.delete(temporary, false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the unfinished " + temporary, e);
            }
        }
    }
}
