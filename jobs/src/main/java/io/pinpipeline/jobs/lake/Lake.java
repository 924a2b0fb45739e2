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
import io.delta.tables.DeltaMergeBuilder;
import io.delta.tables.DeltaTableBuilder;
import io.pinpipeline.jobs.clean.Quarantine;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.settings.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import io.pinpipeline.jobs.settings.SettingsException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
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
    /** A conflicting write is tried this many times in all, pausing 0.5-1 s, then 1-2 s, ... in between. */
    static final int COMMIT_TRIES = 6;
    private static final long COMMIT_FIRST_PAUSE_MILLIS = 500;
    /** Delta's errors for creating, or opening, a table whose first commit another process is writing. */
    private static final Set<String> BEING_CREATED_ELSEWHERE =
            Set.of("DELTA_CREATE_TABLE_WITH_NON_EMPTY_LOCATION", "DELTA_TABLE_NOT_FOUND");
    /** The shape of landed lines: the line and the file it came from. */
    private static final StructType LANDED_LINE = new StructType()
            .add(RAW, DataTypes.StringType).add(SOURCE, DataTypes.StringType);

    private final SparkSession spark;
    private final Settings settings;
    private final AtomicLong conflictsRetried = new AtomicLong();

    public Lake(SparkSession spark, Settings settings) {
        this.spark = spark;
        this.settings = settings;
    }

    /** The session the tables are read and written with (streaming jobs start their queries on it). */
    public SparkSession spark() {
        return spark;
    }

    /** How many times a write of this lake was tried again after a concurrent commit conflicted with it. */
    public long conflictsRetried() {
        return conflictsRetried.get();
    }

    /** The settings the lake was opened with. */
    public Settings settings() {
        return settings;
    }

    /** A streaming query's checkpoint: {@code <checkpoints.root>/<query>}. */
    public String checkpoint(String query) {
        return settings.checkpointsRoot() + "/" + query;
    }

    /** {@code <landing.root>/topics/<prefix>.<kind>}. */
    public String topicFolder(RecordKind kind) {
        return settings.landingRoot() + "/topics/" + kind.topic(settings.prefix());
    }

    /**
     * The folders a batch run for a date reads: the {@code dt=YYYY-MM-DD} folders of the date and of the
     * {@code landing.lateness-days} days before it (files land late), or the whole topic for {@code all}.
     */
    public List<String> landingFolders(RecordKind kind, LandingDate date) {
        if (date.isAll()) {
            return List.of(topicFolder(kind));
        }
        return date.withDaysBefore(settings.latenessDays()).stream().map(day -> topicFolder(kind) + "/dt=" + day).toList();
    }

    /**
     * The landed lines of a kind for a date, as {@code raw} (the line) and {@code source} (its file): every
     * {@code *.json} and {@code *.json.gz} file below {@link #landingFolders} (whatever the layout: {@code dt=}
     * folders or the original flat {@code partition=0}); no rows when none. Other files are skipped, logged and
     * counted; a missing {@code dt=} folder is logged. A missing landing root or topic folder is a configuration
     * error.
     */
    public LandedLines landedLines(RecordKind kind, LandingDate date) {
        String topic = topicFolder(kind);
        if (!pathExists(settings.landingRoot())) {
            throw new SettingsException("landing.root " + settings.landingRoot() + " does not exist: check landing.root");
        }
        if (!pathExists(topic)) {
            throw new SettingsException("topic folder " + topic + " does not exist: check landing.root and prefix ("
                    + settings.prefix() + ")");
        }
        List<String> files = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> folders = landingFolders(kind, date);
        for (String folder : folders) {
            if (!pathExists(folder)) {
                LOG.warn("{} {}: {} does not exist: nothing landed there", kind.label(), date, folder);
                continue;
            }
            listFiles(folder, files, skipped);
        }
        if (!skipped.isEmpty()) {
            LOG.warn("{} {}: skipped {} files that are not *.json or *.json.gz (or are hidden), e.g. {}", kind.label(),
                    date, skipped.size(), skipped.subList(0, Math.min(3, skipped.size())));
        }
        LOG.info("{} {}: reading {} landed files", kind.label(), date, files.size());
        // Hadoop picks the decompressing reader by the file name: *.json.gz is read as gzip.
        Dataset<Row> lines = files.isEmpty() ? spark.createDataFrame(List.of(), LANDED_LINE)
                : spark.read().text(files.toArray(String[]::new))
                        .select(col("value").as(RAW), col("_metadata.file_path").as(SOURCE));
        return new LandedLines(lines, folders, List.copyOf(skipped));
    }

    /** Adds the readable files below a folder to {@code files}, and the others to {@code skipped}. */
    private void listFiles(String folder, List<String> files, List<String> skipped) {
        try {
            Path root = new Path(folder);
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            RemoteIterator<LocatedFileStatus> found = fs.listFiles(root, true);
            while (found.hasNext()) {
                Path file = found.next().getPath();
                (isLandingFile(root, file) ? files : skipped).add(file.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    /**
     * A file the S3 sink wrote: named {@code *.json} or {@code *.json.gz}, and, as Spark's own readers have it, not
     * hidden: no name below the folder starts with {@code .} or {@code _} (files still being written).
     */
    private static boolean isLandingFile(Path folder, Path file) {
        for (Path at = file; at != null && !at.equals(folder) && at.depth() > folder.depth(); at = at.getParent()) {
            if (at.getName().startsWith(".") || at.getName().startsWith("_")) {
                return false;
            }
        }
        return file.getName().endsWith(".json") || file.getName().endsWith(".json.gz");
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
     * nothing. The rows must hold one row per key, and give the same rows each time they are read. The counts are
     * the MERGE's own result row: a MERGE that changes nothing commits nothing, so the table's history would tell
     * another run's numbers.
     *
     * <p>When no key of many rows is in the table yet (an empty table, a day of new posts), the MERGE has no matched
     * clause: Delta then writes the rows in one pass, instead of first reading them all to find the files they
     * touch. Whether a key is there is read from the key column alone, and read again if a concurrent commit makes
     * the MERGE try again. (Asking Delta for the table's file count first, to skip that read on an empty table,
     * cost 2.2 s a micro-batch: more than the read of an empty table.) Both reads of the target, and the MERGE's own, read only the files that can hold one of
     * {@code keys} ({@link SourceKeys}: the rows' keys, known to the caller).
     */
    public MergeCounts upsert(String table, Dataset<Row> rows, String key, SourceKeys keys) {
        DeltaTable target = createIfNotExists(table, rows.schema(), new String[0], keyedTableProperties(key));
        String changed = Arrays.stream(rows.columns())
                .filter(column -> !column.equals(key))
                .map(column -> "t.`" + column + "` <=> s.`" + column + "`")
                .collect(Collectors.joining(" AND ", "NOT (", ")"));
        Column sameKey = col("t.`" + key + "`").equalTo(col("s.`" + key + "`")).and(keys.narrowing("t.`" + key + "`"));
        Row metrics = committing("upsert into " + table(table), () -> {
            DeltaMergeBuilder merge = target.as("t").merge(rows.as("s"), sameKey);
            if (anyKeyIn(target, rows, key, keys)) {
                merge = merge.whenMatched(changed).updateAll();
            }
            return merge.whenNotMatched().insertAll().execute().first();
        });
        return new MergeCounts(metrics.getAs("num_inserted_rows"), metrics.getAs("num_updated_rows"));
    }

    /**
     * Whether some key of {@code rows} may be in the table. A few keys (a micro-batch, {@link SourceKeys#listed()}):
     * taken as yes without looking, since looking costs as much as the matched pass it could save (a micro-batch
     * read 1.4 s for it, on 2 cores) and a stream's batches mostly repeat some key. More (a day): read on the
     * target's key column, where the keys can be.
     */
    private static boolean anyKeyIn(DeltaTable target, Dataset<Row> rows, String key, SourceKeys keys) {
        if (keys.none()) {
            return false;
        }
        if (keys.listed() != null) {
            return true;
        }
        Dataset<Row> candidates = target.toDF().where(keys.narrowing("`" + key + "`")).select(key);
        return !rows.select(key).join(candidates, key, "left_semi").isEmpty();
    }

    /** Creates a keyed table with a schema if it does not exist yet (a run with nothing to upsert still leaves it). */
    public void ensureTable(String table, StructType schema, String key) {
        createIfNotExists(table, schema, new String[0], keyedTableProperties(key));
    }

    /**
     * A keyed (silver) table's properties. Delta keeps file statistics (min, max, nulls) for the key alone: nothing
     * filters silver on another column, collecting them for every column of every row written cost a sixth of
     * writing the rows, and the key's min and max are what let a MERGE skip files. Deletion vectors let a MERGE
     * mark the rows it replaces instead of rewriting every file that holds one.
     */
    private static Map<String, String> keyedTableProperties(String key) {
        return Map.of("delta.dataSkippingStatsColumns", key, "delta.enableDeletionVectors", "true");
    }

    /** Replaces a table's whole content in one Delta commit: readers see the old table or the new, never a part. */
    public void overwrite(String table, Dataset<Row> rows) {
        TableRef ref = table(table);
        committing("overwrite of " + ref,
                () -> save(ref, rows.write().format("delta").mode("overwrite").option("overwriteSchema", "true")));
    }

    /**
     * Replaces, in one commit, the quarantine rows that a batch cleaning run owns: those of its kind and of the
     * landing days it read ({@link #landingFolders}), or all of its kind for {@code --date all}. Adds
     * {@code quarantined_at}.
     */
    public void replaceQuarantine(RecordKind kind, LandingDate date, Dataset<Row> rows) {
        TableRef ref = table(Quarantine.TABLE);
        // Partitioned by kind, so that the three cleaning tasks, which the DAG runs at the same time, replace
        // their own slices without conflicting with each other.
        createIfNotExists(Quarantine.TABLE, Quarantine.SCHEMA, new String[] {KIND}, Map.of());
        List<LocalDate> days = date.withDaysBefore(settings.latenessDays());
        // The streaming lane's rows of the same kind are not the batch's to replace.
        String slice = KIND + " = '" + kind.label() + "'"
                + (days.isEmpty() ? "" : days.stream().map(day -> "DATE'" + day + "'")
                        .collect(Collectors.joining(", ", " AND " + RUN_DATE + " IN (", ")")))
                + " AND " + SOURCE + " NOT LIKE '" + Quarantine.STREAM_SOURCE_PREFIX + "%'";
        committing("quarantine of " + kind.label() + " " + date,
                () -> save(ref, stamped(rows).write().format("delta").mode("overwrite").option("replaceWhere", slice)));
    }

    /**
     * Adds a streaming micro-batch's quarantine rows that the table does not hold yet, by their {@code source}
     * (the record's stream, shard and sequence number, unique to it): a micro-batch replayed after a crash, or a
     * stream read again from the start after its checkpoint was reset, adds nothing twice and loses nothing.
     * Adds {@code quarantined_at}.
     */
    public void addQuarantine(RecordKind kind, Dataset<Row> rows) {
        DeltaTable quarantine = createIfNotExists(Quarantine.TABLE, Quarantine.SCHEMA, new String[] {KIND}, Map.of());
        // The kind in the condition lets Delta read only the kind's partition.
        String sameRecord = "t." + KIND + " = '" + kind.label() + "' AND t." + SOURCE + " = s." + SOURCE;
        committing("quarantine of " + kind.label() + " stream records", () -> quarantine.as("t")
                .merge(stamped(rows).as("s"), sameRecord)
                .whenNotMatched().insertAll()
                .execute());
    }

    /** Quarantine rows with {@code quarantined_at} added, in the table's column order. */
    private static Dataset<Row> stamped(Dataset<Row> rows) {
        return rows.withColumn(QUARANTINED_AT, current_timestamp())
                .select(Arrays.stream(Quarantine.SCHEMA.fieldNames()).map(name -> col(name)).toArray(Column[]::new));
    }

    /**
     * Runs a write that is safe to repeat, again when a concurrent commit conflicts with it: the DAG runs two
     * dates at once (one MERGE target, one quarantine partition), and a streaming job adds quarantine rows
     * while a batch job replaces its slice. Delta's optimistic commit refuses the later of two conflicting commits;
     * each of these writes reads the table afresh when run again, so a retry gives what a serial run gives.
     */
    private <T> T committing(String write, Supplier<T> attempt) {
        for (int tries = 1; ; tries++) {
            try {
                return attempt.get();
            } catch (DeltaConcurrentModificationException e) {
                pauseBeforeTrying(write, e, tries);
            }
        }
    }

    /**
     * Gives up with an error after the last try; else logs, counts and waits before the next: doubling pauses with
     * jitter, so that two runs that collided do not collide again in step.
     */
    private void pauseBeforeTrying(String write, Exception conflict, int tries) {
        if (tries == COMMIT_TRIES) {
            throw new IllegalStateException(write + ": a concurrent commit conflicted " + tries + " times; giving up: "
                    + conflict.getMessage(), conflict);
        }
        long pause = COMMIT_FIRST_PAUSE_MILLIS * (1L << (tries - 1));
        pause += ThreadLocalRandom.current().nextLong(pause);
        LOG.warn("{}: a concurrent commit conflicted ({}); trying again in {} ms (try {} of {})", write,
                conflict.getClass().getSimpleName(), pause, tries + 1, COMMIT_TRIES);
        conflictsRetried.incrementAndGet();
        try {
            Thread.sleep(pause);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(write + ": interrupted while waiting to try again", conflict);
        }
    }

    private void committing(String write, Runnable attempt) {
        committing(write, () -> {
            attempt.run();
            return null;
        });
    }

    private static void save(TableRef ref, DataFrameWriter<Row> writer) {
        if (ref.catalogName()) {
            writer.saveAsTable(ref.location());
        } else {
            writer.save(ref.location());
        }
    }

    private DeltaTable createIfNotExists(String table, StructType schema, String[] partitionColumns,
            Map<String, String> properties) {
        TableRef ref = table(table);
        DeltaTableBuilder builder = DeltaTable.createIfNotExists(spark).addColumns(schema).partitionedBy(partitionColumns);
        for (Map.Entry<String, String> property : properties.entrySet()) {
            builder = builder.property(property.getKey(), property.getValue());
        }
        DeltaTableBuilder located = ref.catalogName() ? builder.tableName(ref.location()) : builder.location(ref.location());
        for (int tries = 1; ; tries++) {
            try {
                try {
                    located.execute();
                } catch (DeltaConcurrentModificationException e) {
                    // Another task created it at the same moment (the cleaning tasks share the quarantine table); the
                    // table is there now, which is all this asked for.
                    LOG.info("{} was created by a concurrent task", ref);
                }
                return ref.catalogName() ? DeltaTable.forName(spark, ref.location()) : DeltaTable.forPath(spark, ref.location());
            } catch (Exception e) {
                // Another process is creating it right now: its folder is there, its first commit not yet, so creating
                // it finds a folder that is not a table, or opening it finds no table (Delta's AnalysisException,
                // checked in Java's eyes). Once that commit is in, both work.
                if (!(e instanceof SparkThrowable error && BEING_CREATED_ELSEWHERE.contains(error.getCondition()))) {
                    throw e;
                }
                pauseBeforeTrying("creating " + ref, e, tries);
            }
        }
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
