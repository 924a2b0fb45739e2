package io.pinpipeline.jobs.stream;

import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.JobArgs;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.jobs.spark.Sessions;
import java.util.List;

/**
 * Reads the Kinesis stream {@code streaming-<prefix>-pin}, cleans each micro-batch as the batch lane cleans
 * landed records, and upserts {@code <prefix>_pin_table} on {@code ind}; bad records go to quarantine.
 * Usage: {@code StreamPins [--env NAME] [--trigger available-now|processing-time=10s] [--set key=value]}; locally
 * {@code ./pipeline run StreamPins}.
 */
public final class StreamPins {
    private StreamPins() {
    }

    public static void main(String[] args) {
        JobArgs jobArgs = JobArgs.parse(args, List.of("trigger"));
        StreamTrigger trigger = StreamTrigger.parse(jobArgs.options().get("trigger"));
        Settings settings = Settings.load(jobArgs);
        run(new Lake(Sessions.getOrCreate("StreamPins"), settings), settings, trigger);
    }

    public static StreamingRun.Report run(Lake lake, Settings settings, StreamTrigger trigger) {
        return StreamingRun.run(lake, settings, RecordKind.PIN, trigger);
    }
}
