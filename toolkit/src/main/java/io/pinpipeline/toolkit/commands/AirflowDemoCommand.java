package io.pinpipeline.toolkit.commands;

import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.toolkit.cli.Options;
import io.pinpipeline.toolkit.cli.RunFailedException;
import io.pinpipeline.toolkit.local.LocalKinesis;
import io.pinpipeline.toolkit.local.LocalServers;
import io.pinpipeline.toolkit.local.LocalSpark;
import io.pinpipeline.toolkit.settings.ToolkitSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * {@code ./pipeline airflow-demo [--stream]}: a DAG on this machine ({@link AirflowDemo}): real Airflow runs it once a
 * day, in date order, as {@code airflow backfill create} over those dates would, each task a run of the uploaded jar on
 * a local Databricks workspace; the tables the runs left are printed. Before each day's run, that day's posts arrive:
 * into the landing zone for {@code pinterest_batch}; with {@code --stream}, for {@code pinterest_streaming}, into the
 * streams of a fresh local Kinesis server, so that each run drains what came since the last one.
 */
public final class AirflowDemoCommand implements Command {
    @Override
    public String name() {
        return "airflow-demo";
    }

    @Override
    public String usage() {
        return """
                  airflow-demo [--posts N] [--seed S] [--date D] [--days N]
                                                               the batch DAG with real Airflow against a local Databricks:
                                                               posts for N days from D, then one DAG run a day, as a backfill
                  airflow-demo --stream [--posts N] [--seed S] [--date D] [--days N]
                                                               the streaming DAG likewise: each day's posts to a fresh local
                                                               Kinesis, then a DAG run that drains the streams
                """;
    }

    @Override
    public void run(String[] args, PrintStream out) {
        boolean stream = Arrays.asList(args).contains("--stream");
        Options options = Options.parse(Flags.without(args, "--stream"), "posts", "seed", "days");
        ToolkitSettings toolkit = options.settings();
        Settings settings = toolkit.jobs();
        LocalDate first = options.dayOrToday();
        int posts = options.positiveInt("posts", 2_000);
        List<LocalDate> days = first.datesUntil(first.plusDays(options.positiveInt("days", 1))).toList();
        // Each demo starts a fresh Airflow database and workspace; the lake and the landing zone carry on.
        Path work = WorkFolder.fresh(LocalServers.localData(toolkit, "airflow-demo"), "airflow-demo");
        Path home = Path.of(settings.home());
        if (!stream) {
            requireSuccess(AirflowDemo.run(toolkit, Repository.root(), home, work, new AirflowDemo.DagRuns(
                    AirflowDemo.BATCH_DAG, days, day -> Emulation.toLanding(settings, options.seed(), day, posts, out)),
                    out));
            LocalSpark.with(spark -> LakeTables.print(new Lake(spark, settings), out));
            return;
        }
        try (LocalKinesis kinesis = LocalServers.freshKinesis(toolkit, "kinesis-local-airflow-demo.log");
             KinesisClient client = kinesis.client()) {
            ToolkitSettings streaming = options.settingsWith(Map.of("kinesis.endpoint", kinesis.endpoint().toString()));
            LocalSpark.with(spark -> {
                Lake lake = new Lake(spark, streaming.jobs());
                LakeTables.freshStreamCheckpoints(lake, "airflow-demo --stream");
                requireSuccess(AirflowDemo.run(streaming, Repository.root(), home, work, new AirflowDemo.DagRuns(
                        AirflowDemo.STREAMING_DAG, days,
                        day -> Emulation.toStreams(client, streaming.jobs(), options.seed(), day, posts, out)), out));
                LakeTables.printStreaming(lake, out);
            });
        }
    }

    private static void requireSuccess(AirflowDemo.Result result) {
        if (!result.succeeded()) {
            throw new RunFailedException("airflow-demo: a DAG run failed: see Airflow's log named above and the driver logs of "
                    + "the failed Databricks runs");
        }
    }
}
