package io.pinpipeline.toolkit.commands;

import io.pinpipeline.jobs.clean.Quarantine;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.metrics.GoldTables;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.stream.StreamingRun;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the demos show of the lake they ran against, and the streaming checkpoints they start afresh. */
final class LakeTables {
    private LakeTables() {
    }

    /** Every silver, gold and quarantine table there is: its count and first rows. */
    static void print(Lake lake, PrintStream out) {
        for (String table : tablesToShow()) {
            if (lake.exists(table)) {
                var rows = lake.read(table);
                out.printf("%n%s: %d rows%n", table, rows.count());
                rows.show(GoldTables.ALL.contains(table) ? 20 : 5, 40);
            }
        }
    }

    /** The three streaming tables: their counts and first rows. */
    static void printStreaming(Lake lake, PrintStream out) {
        for (RecordKind kind : RecordKind.values()) {
            String table = kind.streamingTable(lake.settings().prefix());
            var rows = lake.read(table);
            out.printf("%n%s: %d rows%n", table, rows.count());
            rows.show(5, 40);
        }
    }

    /**
     * The streaming jobs' checkpoints, made afresh: those of an earlier run name sequence numbers of a Kinesis server
     * that is gone (see {@link io.pinpipeline.toolkit.local.LocalServers#freshKinesis}).
     */
    static void freshStreamCheckpoints(Lake lake, String command) {
        for (RecordKind kind : RecordKind.values()) {
            WorkFolder.fresh(Path.of(lake.checkpoint(StreamingRun.queryName(kind))), command);
        }
    }

    /** Silver, then gold, then quarantine. */
    private static List<String> tablesToShow() {
        List<String> tables = new ArrayList<>();
        for (RecordKind kind : RecordKind.values()) {
            tables.add(kind.silverTable());
        }
        tables.addAll(GoldTables.ALL);
        tables.add(Quarantine.TABLE);
        return tables;
    }
}
