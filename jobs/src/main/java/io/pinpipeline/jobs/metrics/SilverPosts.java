package io.pinpipeline.jobs.metrics;

import static io.pinpipeline.jobs.records.Columns.AGE;
import static io.pinpipeline.jobs.records.Columns.CATEGORY;
import static io.pinpipeline.jobs.records.Columns.COUNTRY;
import static io.pinpipeline.jobs.records.Columns.DATE_JOINED;
import static io.pinpipeline.jobs.records.Columns.FOLLOWER_COUNT;
import static io.pinpipeline.jobs.records.Columns.IND;
import static io.pinpipeline.jobs.records.Columns.POSTER_NAME;
import static io.pinpipeline.jobs.records.Columns.TIMESTAMP;
import static io.pinpipeline.jobs.records.Columns.USER_NAME;

import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.RecordKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * What the metrics read from silver: posts (pins inner-joined on {@code ind} with geo, and with users) and the
 * users. A metric job on its own reads the tables it needs as it runs ({@link #read}); a run of all nine in one JVM
 * ({@code ./pipeline batch}) reads and joins them once and keeps the few columns the metrics use ({@link #kept}):
 * nine metrics then cost nine small aggregations instead of nine 1M x 1M joins.
 */
public final class SilverPosts implements AutoCloseable {
    private final Lake lake;
    private final boolean keep;
    private final List<Dataset<Row>> kept = new ArrayList<>();
    private Dataset<Row> pinsWithGeo;
    private Dataset<Row> pinsWithUsers;
    private Dataset<Row> users;

    private SilverPosts(Lake lake, boolean keep) {
        this.lake = lake;
        this.keep = keep;
    }

    /** The silver tables of a lake, read when a metric first asks for them (a job reads only the tables it uses). */
    public static SilverPosts read(Lake lake) {
        return new SilverPosts(lake, false);
    }

    /**
     * The silver tables of a lake read and joined once, on first use, and kept in memory with only the columns the
     * metrics read, until {@link #close}. For a run that computes every metric from the same silver tables.
     */
    public static SilverPosts kept(Lake lake) {
        return new SilverPosts(lake, true);
    }

    /** Pins inner-joined with geo on {@code ind}. */
    public synchronized Dataset<Row> pinsWithGeo() {
        if (pinsWithGeo == null) {
            pinsWithGeo = keeping(Metrics.posts(silver(RecordKind.PIN), silver(RecordKind.GEO)),
                    CATEGORY, POSTER_NAME, FOLLOWER_COUNT, COUNTRY, TIMESTAMP);
        }
        return pinsWithGeo;
    }

    /** Pins inner-joined with users on {@code ind}. */
    public synchronized Dataset<Row> pinsWithUsers() {
        if (pinsWithUsers == null) {
            pinsWithUsers = keeping(Metrics.posts(silver(RecordKind.PIN), silver(RecordKind.USER)),
                    CATEGORY, FOLLOWER_COUNT, AGE, DATE_JOINED);
        }
        return pinsWithUsers;
    }

    /** The silver user table. */
    public synchronized Dataset<Row> users() {
        if (users == null) {
            users = keeping(silver(RecordKind.USER), IND, USER_NAME, AGE, DATE_JOINED);
        }
        return users;
    }

    /** Frees what {@link #kept} holds; nothing for {@link #read}. */
    @Override
    public synchronized void close() {
        kept.forEach(Dataset::unpersist);
        kept.clear();
    }

    private Dataset<Row> silver(RecordKind kind) {
        return lake.read(kind.silverTable());
    }

    /** The rows as they are; or, for {@link #kept}, their {@code columns} persisted. */
    private Dataset<Row> keeping(Dataset<Row> rows, String... columns) {
        if (!keep) {
            return rows;
        }
        Dataset<Row> persisted = rows.select(columns[0], Arrays.copyOfRange(columns, 1, columns.length))
                .persist(StorageLevel.MEMORY_AND_DISK());
        kept.add(persisted);
        return persisted;
    }
}
