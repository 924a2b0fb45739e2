package io.pinpipeline.toolkit.commands;

import io.pinpipeline.jobs.ingest.KafkaToLanding;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.report.CleaningReport;
import io.pinpipeline.jobs.report.JobReport;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.jobs.stream.StreamTrigger;
import io.pinpipeline.jobs.stream.StreamingRun;
import io.pinpipeline.toolkit.cli.Options;
import io.pinpipeline.toolkit.cli.UsageException;
import io.pinpipeline.toolkit.emulator.Emulator;
import io.pinpipeline.toolkit.emulator.PostGenerator;
import io.pinpipeline.toolkit.emulator.Sinks;
import io.pinpipeline.toolkit.local.KafkaPath;
import io.pinpipeline.toolkit.local.LocalKinesis;
import io.pinpipeline.toolkit.local.LocalServers;
import io.pinpipeline.toolkit.local.LocalSpark;
import io.pinpipeline.toolkit.report.Report;
import io.pinpipeline.toolkit.settings.ToolkitSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * {@code ./pipeline demo}: a day's emulated posts through one lane, and the tables it made. {@code --via landing} (the
 * default) writes them into the landing zone and runs the batch for that date; {@code --via kafka} sends them through
 * the local gateway and broker, and KafkaToLanding lands them first; {@code --via kinesis} ({@code demo --stream}) is
 * the streaming lane's demo.
 */
public final class DemoCommand implements Command {
    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String usage() {
        return """
                  demo     [--posts N] [--seed S] [--date D] [--via landing|kafka|kinesis]
                                                               emulate posts, run the batch for that date, print the tables;
                                                               --via kafka: through the local gateway, Kafka and KafkaToLanding;
                                                               --via kinesis: the streaming lane (also: demo --stream)
                """;
    }

    @Override
    public void run(String[] args, PrintStream out) {
        // --stream is the streaming lane's demo: --via kinesis
        Options options = Options.parse(Flags.asOption(args, "--stream", "--via", "kinesis"), "posts", "seed", "via");
        ToolkitSettings toolkit = options.settings();
        Settings settings = toolkit.jobs();
        LocalDate day = options.dayOrToday();
        int posts = options.positiveInt("posts", 10_000);
        String via = options.option("via", "landing");
        if (!List.of("landing", "kafka", "kinesis").contains(via)) {
            throw new UsageException("--via: '" + via + "' is not one of landing, kafka, kinesis");
        }
        if (via.equals("kinesis")) {
            demoStream(options, day, posts, out);
            return;
        }
        if (via.equals("landing")) {
            Emulation.toLanding(settings, options.seed(), day, posts, out);
        }
        LocalSpark.with(spark -> {
            Lake lake = new Lake(spark, settings);
            if (via.equals("kafka")) {
                // The day's posts go through the gateway on that day's clock, so they land under dt=<day>.
                try (KafkaPath kafka = KafkaPath.open(toolkit, 0, EmulateCommand.noonOf(day), Map.of())) {
                    Emulator.Summary sent = Emulation.sendAll(Sinks.open(Sinks.KAFKA_REST, settings.prefix(),
                            new Sinks.Http(kafka.gatewayUrl())), new PostGenerator(options.seed(), day), posts,
                            OptionalDouble.empty());
                    out.printf("emulated %s through %s to Kafka at %s%n", sent, kafka.gatewayUrl(), kafka.bootstrapServers());
                    out.println("KafkaToLanding: " + KafkaToLanding.run(lake, settings));
                }
            }
            Map<String, JobReport> reports = BatchCommand.batch(lake, LandingDate.of(day), out);
            LakeTables.print(lake, out);
            List<String> cleaning = new ArrayList<>();
            for (JobReport jobReport : reports.values()) {
                if (jobReport instanceof CleaningReport cleaned) {
                    cleaning.add(cleaned.toString());
                }
            }
            Path report = Report.write(lake, Path.of(settings.lakeRoot()).toAbsolutePath().getParent().resolve("report"),
                    cleaning);
            out.printf("%nthe tables are Delta tables under %s; `./pipeline export --to DIR` writes them as JSON lines%n",
                    settings.lakeRoot());
            out.printf("report: %s%n", report);
        });
    }

    /**
     * The streaming lane's demo: a fresh local Kinesis server (its streams live in memory, so this demo's checkpoints
     * start afresh too), the day's posts through the kinesis sink, the three streaming jobs with an available-now
     * trigger, and their tables.
     */
    private static void demoStream(Options options, LocalDate day, int posts, PrintStream out) {
        try (LocalKinesis kinesis = LocalServers.freshKinesis(options.settings(), "kinesis-local-demo.log")) {
            Settings settings = options.settingsWith(Map.of("kinesis.endpoint", kinesis.endpoint().toString())).jobs();
            try (KinesisClient client = kinesis.client()) {
                Emulation.toStreams(client, settings, options.seed(), day, posts, out);
            }
            LocalSpark.with(spark -> {
                Lake lake = new Lake(spark, settings);
                LakeTables.freshStreamCheckpoints(lake, "demo --stream");
                for (RecordKind kind : RecordKind.values()) {
                    out.println(StreamingRun.run(lake, settings, kind, StreamTrigger.AVAILABLE_NOW));
                }
                LakeTables.printStreaming(lake, out);
            });
        }
    }
}
