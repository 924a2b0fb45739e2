package io.pinpipeline.jobs.lake;

import static io.pinpipeline.jobs.records.Columns.KIND;
import static io.pinpipeline.jobs.records.Columns.QUARANTINED_AT;
import static io.pinpipeline.jobs.records.Columns.RAW;
import static io.pinpipeline.jobs.records.Columns.RUN_DATE;
import static io.pinpipeline.jobs.records.Columns.SOURCE;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;

import io.delta.exceptions.DeltaConcurrentModificationException;
import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import io.pinpipeline.jobs.clean.Quarantine;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.settings.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only place that knows where data lives: the landing zone's folders, every table's location (path or
 * catalog name), and how each kind of table is written so that re-runs change nothing:
 * silver is upserted on its key, gold is overwritten atomically, quarantine replaces the slice a run owns.
 */
public final class Lake {
    private static final Logger LOG = LoggerFactory.getLogger(Lake.class);
    private final SparkSession spark;
    private final Settings settings;

    public Lake(SparkSession spark, Settings settings) {
        this.spark = spark;
        this.settings = settings;
    }

    /** The session the tables are read and written with (streaming jobs start their queries on it). */
    public SparkSession spark() {
        return spark;
    }

    /** A streaming query's checkpoint: {@code <checkpoints.root>/<query>}. */
    public String checkpoint(String query) {
        return settings.checkpointsRoot() + "/" + query;
    }

    /** {@code <landing.root>/topics/<prefix>.<kind>}. */
    public String topicFolder(RecordKind kind) {
        return settings.landingRoot() + "/topics/" + kind.topic(settings.prefix());
    }

    /** The folder a run reads: the topic's {@code dt=YYYY-MM-DD} folder, or the whole topic for {@code all}. */
    public String landingFolder(RecordKind kind, LandingDate date) {
        return date.day().map(day -> topicFolder(kind) + "/dt=" + day).orElse(topicFolder(kind));
    }

    /**
     * The landed lines of a kind for a date, as {@code raw} (the line) and {@code source} (its file); empty
     * when the folder does not exist. Every {@code *.json} file below the folder is read, whatever the layout
     * ({@code dt=} folders or the original flat {@code partition=0}).
     */
    public Optional<Dataset<Row>> landedLines(RecordKind kind, LandingDate date) {
        String folder = landingFolder(kind, date);
        if (!pathExists(folder)) {
            return Optional.empty();
        }
        Dataset<Row> lines = spark.read()
                .option("recursiveFileLookup", "true")
                .option("pathGlobFilter", "*.json")
                .text(folder)
                .select(col("value").as(RAW), col("_metadata.file_path").as(SOURCE));
        return Optional.of(lines);
    }

    public TableRef table(String table) {
        String location = settings.tableLocation(table);
        return TableRef.of(table, location.isEmpty() ? settings.lakeRoot() + "/" + table : location);
    }

    public boolean exists(String table) {
        TableRef ref = table(table);
        return ref.catalogName() ? spark.catalog().tableExists(ref.location()) : DeltaTable.isDeltaTable(spark, ref.location());
    }

    /** A table's current rows; a missing path table is a clear error naming it and where it was looked for. */
    public Dataset<Row> read(String table) {
        TableRef ref = table(table);
        if (!ref.catalogName() && !DeltaTable.isDeltaTable(spark, ref.location())) {
            throw new IllegalStateException("table " + ref + " does not exist: run the job that writes it first");
        }
        return ref.catalogName() ? spark.read().table(ref.location()) : spark.read().format("delta").load(ref.location());
    }

    /**
     * Upserts rows into a Delta table on a key, creating it with the rows' schema if it does not exist.
     * A row whose key exists replaces it only if some column differs, so replaying the same rows rewrites
     * nothing. The rows must hold one row per key.
     */
    public MergeCounts upsert(String table, Dataset<Row> rows, String key) {
        DeltaTable target = createIfNotExists(table, rows.schema(), new String[0]);
        String changed = Arrays.stream(rows.columns())
                .filter(column -> !column.equals(key))
                .map(column -> "t.`" + column + "` <=> s.`" + column + "`")
                .collect(Collectors.joining(" AND ", "NOT (", ")"));
        Row metrics = target.as("t")
                .merge(rows.as("s"), "t.`" + key + "` = s.`" + key + "`")
                .whenMatched(changed).updateAll()
                .whenNotMatched().insertAll()
                .execute()
                .first();
        Row lastCommit = target.history(1).first();
        Map<String, String> operation = lastCommit.getJavaMap(lastCommit.fieldIndex("operationMetrics"));
        return new MergeCounts(Long.parseLong(operation.getOrDefault("numSourceRows", "0")),
                metrics.getAs("num_inserted_rows"), metrics.getAs("num_updated_rows"));
    }

    /** Replaces a table's whole content in one Delta commit: readers see the old table or the new, never a part. */
    public void overwrite(String table, Dataset<Row> rows) {
        TableRef ref = table(table);
        save(ref, rows.write().format("delta").mode("overwrite").option("overwriteSchema", "true"));
    }

    /**
     * Replaces, in one commit, the quarantine rows that a cleaning run owns: those of its kind and landing
     * date, or all of its kind for {@code --date all}. Adds {@code quarantined_at}.
     */
    public void replaceQuarantine(RecordKind kind, LandingDate date, Dataset<Row> rows) {
        TableRef ref = table(Quarantine.TABLE);
        // Partitioned by kind, so that the three cleaning tasks, which the DAG runs at the same time, replace
        // their own slices without conflicting with each other.
        createIfNotExists(Quarantine.TABLE, Quarantine.SCHEMA, new String[] {KIND});
        // The streaming lane's rows of the same kind are not the batch's to replace.
        String slice = KIND + " = '" + kind.label() + "'"
                + date.day().map(day -> " AND " + RUN_DATE + " = DATE'" + day + "'").orElse("")
                + " AND " + SOURCE + " NOT LIKE '" + Quarantine.STREAM_SOURCE_PREFIX + "%'";
        save(ref, stamped(rows).write().format("delta").mode("overwrite").option("replaceWhere", slice));
    }

    /**
     * Appends a streaming micro-batch's quarantine rows, once: Delta skips a write whose application id and version
     * it has already committed, so a micro-batch that is replayed after a crash adds nothing. Adds
     * {@code quarantined_at}.
     */
    public void appendQuarantine(Dataset<Row> rows, String streamingQuery, long batchId) {
        TableRef ref = table(Quarantine.TABLE);
        createIfNotExists(Quarantine.TABLE, Quarantine.SCHEMA, new String[] {KIND});
        save(ref, stamped(rows).write().format("delta").mode("append")
                .option("txnAppId", streamingQuery)
                .option("txnVersion", batchId));
    }

    /** Quarantine rows with {@code quarantined_at} added, in the table's column order. */
    private static Dataset<Row> stamped(Dataset<Row> rows) {
        return rows.withColumn(QUARANTINED_AT, current_timestamp())
                .select(Arrays.stream(Quarantine.SCHEMA.fieldNames()).map(name -> col(name)).toArray(Column[]::new));
    }

    private static void save(TableRef ref, DataFrameWriter<Row> writer) {
        if (ref.catalogName()) {
            writer.saveAsTable(ref.location());
        } else {
            writer.save(ref.location());
        }
    }

    private DeltaTable createIfNotExists(String table, StructType schema, String[] partitionColumns) {
        TableRef ref = table(table);
        DeltaTableBuilder builder = DeltaTable.createIfNotExists(spark).addColumns(schema).partitionedBy(partitionColumns);
        builder = ref.catalogName() ? builder.tableName(ref.location()) : builder.location(ref.location());
        try {
            builder.execute();
        } catch (DeltaConcurrentModificationException e) {
            // Another task created it at the same moment (the cleaning tasks share the quarantine table); the
            // table is there now, which is all this asked for.
            LOG.info("{} was created by a concurrent task", ref);
        }
        return ref.catalogName() ? DeltaTable.forName(spark, ref.location()) : DeltaTable.forPath(spark, ref.location());
    }

    private boolean pathExists(String folder) {
        try {
            Path path = new Path(folder);
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            return fs.exists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look at " + folder, e);
        }
    }
}
