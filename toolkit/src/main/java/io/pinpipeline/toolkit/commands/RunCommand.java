package io.pinpipeline.toolkit.commands;

import io.pinpipeline.jobs.ingest.KafkaToLanding;
import io.pinpipeline.jobs.settings.JobArgs;
import io.pinpipeline.jobs.stream.StreamTrigger;
import io.pinpipeline.toolkit.cli.Jobs;
import io.pinpipeline.toolkit.cli.UsageException;
import io.pinpipeline.toolkit.local.LocalKafkaBroker;
import io.pinpipeline.toolkit.local.LocalSpark;
import io.pinpipeline.toolkit.settings.ToolkitSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
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
        ToolkitSettings settings = ToolkitSettings.load(parsed);
        String[] ownArgs = withoutToolkitSettings(jobArgs);
        if (main == KafkaToLanding.class) {
            // It reads the local broker, which ./pipeline brings up on demand (its data outlives it).
            try (LocalKafkaBroker broker = LocalKafkaBroker.startIfNeeded(settings.jobs().kafka().bootstrapServers(),
                    Path.of(settings.local().kafkaData()))) {
                LocalSpark.with(spark -> Jobs.runMain(main, ownArgs));
            }
            return;
        }
        LocalSpark.with(spark -> Jobs.runMain(main, ownArgs));
    }

    /**
     * The job's arguments without {@code --set} of a toolkit key (where the local broker keeps its data, say): those
     * are ./pipeline's own, checked above, and a job rejects a key it does not know.
     */
    static String[] withoutToolkitSettings(String[] jobArgs) {
        List<String> own = new ArrayList<>();
        for (int i = 0; i < jobArgs.length; i++) {
            if (jobArgs[i].equals("--set") && i + 1 < jobArgs.length
                    && ToolkitSettings.isToolkitKey(jobArgs[i + 1].split("=", 2)[0].trim())) {
                i++;
                continue;
            }
            own.add(jobArgs[i]);
        }
        return own.toArray(String[]::new);
    }
}
