package io.pinpipeline.toolkit.commands;

import io.pinpipeline.jobs.ingest.KafkaToLanding;
import io.pinpipeline.jobs.settings.JobArgs;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.jobs.stream.StreamTrigger;
import io.pinpipeline.toolkit.cli.Jobs;
import io.pinpipeline.toolkit.cli.UsageException;
import io.pinpipeline.toolkit.local.LocalKafkaBroker;
import io.pinpipeline.toolkit.local.LocalSpark;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** {@code ./pipeline run JOB [...]}: one job's main, by its class's simple name, in a local session. */
public final class RunCommand implements Command {
    @Override
    public String name() {
        return "run";
    }

    @Override
    public String usage() {
        return """
                  run      JOB [--date D|all] [...]            one job by its class's simple name, e.g. run CleanPins --date 2024-05-01
                """;
    }

    @Override
    public void run(String[] args, PrintStream out) {
        if (args.length == 0) {
            throw new UsageException("run needs a job: " + String.join(", ", Jobs.names()));
        }
        String job = args[0];
        String[] jobArgs = Arrays.copyOfRange(args, 1, args.length);
        // Checked here too (the job checks its arguments again), so that a bad one fails before Spark starts.
        Class<?> main = Jobs.mainClass(job);
        // Streaming jobs take --trigger too.
        JobArgs parsed = JobArgs.parse(jobArgs, Jobs.STREAMING.contains(main) ? List.of("trigger") : List.of());
        StreamTrigger.parse(parsed.options().get("trigger"));
        Settings settings = Settings.load(parsed);
        if (main == KafkaToLanding.class) {
            // It reads the local broker, which ./pipeline brings up on demand (its data outlives it).
            try (LocalKafkaBroker broker = LocalKafkaBroker.startIfNeeded(settings.kafka().bootstrapServers(),
                    Path.of(settings.localKafkaData()))) {
                LocalSpark.with(spark -> Jobs.runMain(main, jobArgs));
            }
            return;
        }
        LocalSpark.with(spark -> Jobs.runMain(main, jobArgs));
    }
}
