package io.pinpipeline.toolkit.cli;

import io.pinpipeline.jobs.clean.Quarantine;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.metrics.GoldTables;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.report.CleaningReport;
import io.pinpipeline.jobs.report.JobReport;
import io.pinpipeline.jobs.settings.JobArgs;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.jobs.settings.SettingsException;
import io.pinpipeline.jobs.stream.StreamTrigger;
import io.pinpipeline.jobs.stream.StreamingRun;
import io.pinpipeline.jobs.ingest.KafkaToLanding;
import io.pinpipeline.toolkit.deploy.Deploy;
import io.pinpipeline.toolkit.deploy.DeployException;
import io.pinpipeline.toolkit.deploy.StackOutputs;
import io.pinpipeline.toolkit.emulator.Backoff;
import io.pinpipeline.toolkit.emulator.Emulator;
import io.pinpipeline.toolkit.emulator.JdbcPostSource;
import io.pinpipeline.toolkit.emulator.KafkaRestSink;
import io.pinpipeline.toolkit.emulator.KinesisApiSink;
import io.pinpipeline.toolkit.emulator.KinesisSink;
import io.pinpipeline.toolkit.emulator.LandingSink;
import io.pinpipeline.toolkit.emulator.PostGenerator;
import io.pinpipeline.toolkit.emulator.PostSink;
import io.pinpipeline.toolkit.emulator.PostSource;
import io.pinpipeline.toolkit.emulator.SinkException;
import io.pinpipeline.toolkit.emulator.SourceException;
import io.pinpipeline.toolkit.local.KafkaRestHandler;
import io.pinpipeline.toolkit.local.KinesisProxyHandler;
import io.pinpipeline.toolkit.local.LocalAirflow;
import io.pinpipeline.toolkit.local.LocalDatabricks;
import io.pinpipeline.toolkit.local.LocalGateway;
import io.pinpipeline.toolkit.local.LocalKafkaBroker;
import io.pinpipeline.toolkit.local.LocalKinesis;
import io.pinpipeline.toolkit.local.LocalSpark;
import io.pinpipeline.toolkit.report.Report;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.spark.sql.SparkSession;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The {@code ./pipeline} commands. Arguments are checked before Spark starts; a bad one is one line on
 * stderr and exit status 2.
 */
public final class Cli {
    static final String USAGE = """
            usage: ./pipeline COMMAND [--env NAME] [--set key=value]... [options]
              demo     [--posts N] [--seed S] [--date D] [--via landing|kafka|kinesis]
                                                           emulate posts, run the batch for that date, print the tables;
                                                           --via kafka: through the local gateway, Kafka and KafkaToLanding;
                                                           --via kinesis: the streaming lane (also: demo --stream)
              run      JOB [--date D|all] [...]            one job by its class's simple name, e.g. run CleanPins --date 2024-05-01
              batch    --date D|all                        the batch DAG's jobs for a date, in the DAG's order
              emulate  --posts N [--seed S] [--date D] [--sink landing|kafka-rest|kinesis|kinesis-api]
                       [--url URL] [--rate POSTS_PER_S] [--source jdbc:URL]
                                                           send posts; kafka-rest without --url brings up the local
                                                           broker and gateway for the run
              serve    [--port P]                          the local Kafka broker, Kinesis server and gateway until Ctrl-C;
                                                           --set local.kafka-rest-faults.retriable=0.2: /topics/ fails
                                                           a fifth of the records with error_code 2, as the proxy may
              databricks [--port P]                        a local Databricks workspace (Jobs runs, DBFS, volumes) for
                                                           Airflow's Databricks provider, until Ctrl-C
              export   --to DIR                            every table to DIR/<table>.jsonl
              report   --to DIR                            DIR/report.html: a chart for each gold table, data-quality counts
              bench    [--posts N] [--seed S]              time each job over N emulated posts
              bench    --vs-duckdb [--posts N] [--seed S]  the same SPEC work in Spark and in DuckDB on the same files:
                                                           both timings, their ratio, and a check that the tables are equal
              bench-sinks [--posts N]                      posts a second through each emulator sink on loopback
              bench    --scale [--posts N] [--existing E1,E2]  a day's cleaning time into silver of E1, E2 rows
              bench    --stream [--seconds S] [--rate R] [--shards N]
                                                           streaming latency, PutRecords to readable in Delta
              bench    --stream --drain N [--shards S]     N records put into the 3 streams, then drained (available-now)
              airflow-demo [--posts N] [--seed S] [--date D] [--days N]
                                                           the batch DAG with real Airflow against a local Databricks:
                                                           posts for N days from D, then one DAG run a day, as a backfill
              airflow-demo --stream [--posts N] [--seed S] [--date D] [--days N]
                                                           the streaming DAG likewise: each day's posts to a fresh local
                                                           Kinesis, then a DAG run that drains the streams
              deploy   --env dev|prod [--outputs FILE]     the built job jar to Databricks (databricks.jar-folder, versioned
                                                           name), the DAGs, their settings file and mwaa-requirements.txt
                                                           to the MWAA bucket; needs DATABRICKS_TOKEN in the environment
              test                                         the whole test suite (handled by the launcher)
            jobs: %s
            """;

    /** ./pipeline databricks's default port: one the other local servers do not use. */
    static final int DATABRICKS_PORT = 8089;

    private final PrintStream out;

    Cli(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] argv) {
        // The launcher's JVM is ours (unlike a Databricks driver): end it with the command's status.
        System.exit(new Cli(System.out).exitStatus(argv, System.err));
    }

    /**
     * Runs a command and gives its exit status: 0 when it did all it should (an emulator run: every record in), 1
     * when what it ran failed (a record not delivered, a job, a DAG run), 2 for a bad argument or setting, deploy's
     * own; a failure is one line on {@code err}.
     */
    int exitStatus(String[] argv, PrintStream err) {
        try {
            run(argv);
            return 0;
        } catch (SettingsException | UsageException e) {
            err.println("pipeline: " + e.getMessage());
            return 2;
        } catch (SinkException | SourceException | RunFailedException e) {
            err.println("pipeline: " + e.getMessage());
            return 1;
        } catch (DeployException e) {
            err.println("pipeline: deploy: " + e.getMessage());
            return e.exitStatus();
        }
    }

    void run(String[] argv) {
        if (argv.length == 0 || List.of("-h", "--help", "help").contains(argv[0])) {
            out.printf(USAGE, String.join(", ", Jobs.names()));
            return;
        }
        String command = argv[0];
        String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
        switch (command) {
            // --stream is the streaming lane's demo: --via kinesis
            case "demo" -> demo(Options.parse(flag(rest, "--stream", "--via", "kinesis"), "posts", "seed", "via"));
            case "run" -> runJob(rest);
            case "batch" -> {
                Options options = Options.parse(rest);
                LandingDate date = options.args().requiredDate();
                Settings settings = options.settings();
                withSpark(spark -> batch(new Lake(spark, settings), date));
            }
            case "emulate" -> emulate(Options.parse(rest, "posts", "seed", "sink", "url", "rate", "source"));
            case "serve" -> serve(Options.parse(rest, "port"));
            case "databricks" -> databricks(Options.parse(rest, "port"));
            case "export" -> export(Options.parse(rest, "to"));
            case "report" -> {
                Options options = Options.parse(rest, "to");
                Path dir = Path.of(options.required("to"));
                Settings settings = options.settings();
                withSpark(spark -> out.println("report: " + Report.write(new Lake(spark, settings), dir, List.of())));
            }
            case "bench" -> {
                if (Arrays.asList(rest).contains("--scale")) {
                    ScaleBench.run(Options.parse(without(rest, "--scale"), "posts", "seed", "existing"), out);
                } else if (Arrays.asList(rest).contains("--vs-duckdb")) {
                    DuckDbBench.run(Options.parse(without(rest, "--vs-duckdb"), "posts", "seed"), out);
                } else if (Arrays.asList(rest).contains("--stream") && Arrays.asList(rest).contains("--drain")) {
                    StreamDrainBench.run(Options.parse(without(rest, "--stream"), "drain", "seed", "shards"), out);
                } else if (Arrays.asList(rest).contains("--stream")) {
                    StreamBench.run(Options.parse(without(rest, "--stream"), "seconds", "rate", "shards"), out);
                } else {
                    Bench.run(Options.parse(rest, "posts", "seed"), out);
                }
            }
            case "deploy" -> deploy(Options.parse(rest, "outputs"));
            case "airflow-demo" -> airflowDemo(Options.parse(without(rest, "--stream"), "posts", "seed", "days"),
                    Arrays.asList(rest).contains("--stream"));
            case "bench-sinks" -> SinkBench.run(Options.parse(rest, "posts", "seed"), out);
            default -> throw new UsageException("unknown command '" + command + "' (try ./pipeline --help)");
        }
    }

    /** ./pipeline deploy; with --outputs FILE (cdk deploy's outputs file), onto the resources the stacks made. */
    private void deploy(Options options) {
        Optional<StackOutputs> outputs = Optional.ofNullable(options.option("outputs", null))
                .map(file -> StackOutputs.read(Path.of(file)));
        Settings settings = outputs.map(o -> options.settingsWith(o.settings())).orElseGet(options::settings);
        new Deploy(settings, repository(), System::getenv, out, outputs).run();
    }

    /** The arguments without a flag that chose the command's variant ({@code bench --stream}). */
    private static String[] without(String[] args, String flag) {
        return Arrays.stream(args).filter(arg -> !arg.equals(flag)).toArray(String[]::new);
    }

    /** A flag without a value, written as the option it stands for ({@code --stream} as {@code --via kinesis}). */
    private static String[] flag(String[] args, String flag, String option, String value) {
        List<String> rewritten = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals(flag)) {
                rewritten.add(option);
                rewritten.add(value);
            } else {
                rewritten.add(arg);
            }
        }
        return rewritten.toArray(String[]::new);
    }

    private void runJob(String[] rest) {
        if (rest.length == 0) {
            throw new UsageException("run needs a job: " + String.join(", ", Jobs.names()));
        }
        String job = rest[0];
        String[] jobArgs = Arrays.copyOfRange(rest, 1, rest.length);
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
                withSpark(spark -> Jobs.runMain(main, jobArgs));
            }
            return;
        }
        withSpark(spark -> Jobs.runMain(main, jobArgs));
    }

    private void demo(Options options) {
        Settings settings = options.settings();
        LocalDate day = options.dayOrToday();
        int posts = options.positiveInt("posts", 10_000);
        String via = options.option("via", "landing");
        if (!List.of("landing", "kafka", "kinesis").contains(via)) {
            throw new UsageException("--via: '" + via + "' is not one of landing, kafka, kinesis");
        }
        if (via.equals("kinesis")) {
            demoStream(options, day, posts);
            return;
        }
        if (via.equals("landing")) {
            emulateToLanding(settings, options.seed(), day, posts);
        }
        withSpark(spark -> {
            Lake lake = new Lake(spark, settings);
            if (via.equals("kafka")) {
                // The day's posts go through the gateway on that day's clock, so they land under dt=<day>.
                try (KafkaPath kafka = KafkaPath.open(settings, 0, noonOf(day), Map.of())) {
                    Emulator.Summary sent = sendAll(new KafkaRestSink(kafka.gatewayUrl(), settings.prefix(), Backoff.DEFAULT),
                            new PostGenerator(options.seed(), day), posts, OptionalDouble.empty());
                    out.printf("emulated %s through %s to Kafka at %s%n", sent, kafka.gatewayUrl(), kafka.bootstrapServers());
                    out.println("KafkaToLanding: " + KafkaToLanding.run(lake, settings));
                }
            }
            Map<String, JobReport> reports = batch(lake, LandingDate.of(day));
            printTables(lake);
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

    /** Every silver, gold and quarantine table there is: its count and first rows. */
    private void printTables(Lake lake) {
        for (String table : tablesToShow()) {
            if (lake.exists(table)) {
                var rows = lake.read(table);
                out.printf("%n%s: %d rows%n", table, rows.count());
                rows.show(GoldTables.ALL.contains(table) ? 20 : 5, 40);
            }
        }
    }

    /**
     * A DAG on this machine: real Airflow runs it once a day, in date order, as {@code airflow backfill create} over
     * those dates would, each task a run of the uploaded jar on a local Databricks workspace; the tables the runs
     * left are printed. Before each day's run, that day's posts arrive: into the landing zone for
     * {@code pinterest_batch}; with {@code --stream}, for {@code pinterest_streaming}, into the streams of a fresh
     * local Kinesis server, so that each run drains what came since the last one.
     */
    private void airflowDemo(Options options, boolean stream) {
        Settings settings = options.settings();
        LocalDate first = options.dayOrToday();
        int posts = options.positiveInt("posts", 2_000);
        List<LocalDate> days = first.datesUntil(first.plusDays(options.positiveInt("days", 1))).toList();
        // Each demo starts a fresh Airflow database and workspace; the lake and the landing zone carry on.
        Path work = WorkFolder.fresh(LocalServers.localData(settings, "airflow-demo"), "airflow-demo");
        Path home = Path.of(settings.home());
        if (!stream) {
            requireSuccess(AirflowDemo.run(settings, repository(), home, work, new AirflowDemo.DagRuns(AirflowDemo.BATCH_DAG,
                    days, day -> emulateToLanding(settings, options.seed(), day, posts)), out));
            withSpark(spark -> printTables(new Lake(spark, settings)));
            return;
        }
        try (LocalKinesis kinesis = freshKinesis(settings, "kinesis-local-airflow-demo.log");
             KinesisClient client = kinesis.client()) {
            Settings streaming = options.settingsWith(Map.of("kinesis.endpoint", kinesis.endpoint().toString()));
            withSpark(spark -> {
                Lake lake = new Lake(spark, streaming);
                freshStreamCheckpoints(lake, "airflow-demo --stream");
                requireSuccess(AirflowDemo.run(streaming, repository(), home, work, new AirflowDemo.DagRuns(
                        AirflowDemo.STREAMING_DAG, days, day -> emulateToStreams(client, streaming, options.seed(), day, posts)),
                        out));
                printStreamingTables(lake);
            });
        }
    }

    private static void requireSuccess(AirflowDemo.Result result) {
        if (!result.succeeded()) {
            throw new RunFailedException("airflow-demo: a DAG run failed: see Airflow's log named above and the driver logs of "
                    + "the failed Databricks runs");
        }
    }

    /**
     * The repository (the jar, dags/, mwaa-requirements.txt): PIPELINE_HOME, which the launcher sets, else the
     * working folder or the nearest one above it that holds mwaa-requirements.txt (a test runs in toolkit/).
     */
    static Path repository() {
        String home = System.getenv("PIPELINE_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home).toAbsolutePath();
        }
        for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
            if (Files.isRegularFile(folder.resolve(Deploy.REQUIREMENTS))) {
                return folder;
            }
        }
        return Path.of("").toAbsolutePath();
    }

    /**
     * The streaming lane's demo: a fresh local Kinesis server (its streams live in memory, so this demo's checkpoints
     * start afresh too), the day's posts through the kinesis sink, the three streaming jobs with an available-now
     * trigger, and their tables.
     */
    private void demoStream(Options options, LocalDate day, int posts) {
        try (LocalKinesis kinesis = freshKinesis(options.settings(), "kinesis-local-demo.log")) {
            Settings settings = options.settingsWith(Map.of("kinesis.endpoint", kinesis.endpoint().toString()));
            try (KinesisClient client = kinesis.client()) {
                emulateToStreams(client, settings, options.seed(), day, posts);
            }
            withSpark(spark -> {
                Lake lake = new Lake(spark, settings);
                freshStreamCheckpoints(lake, "demo --stream");
                for (RecordKind kind : RecordKind.values()) {
                    out.println(StreamingRun.run(lake, settings, kind, StreamTrigger.AVAILABLE_NOW));
                }
                printStreamingTables(lake);
            });
        }
    }

    /**
     * A local Kinesis server of this command's own, on a free port, with the prefix's streams; it keeps them in
     * memory, so they hold only what this command sends. Its log is {@code local-data/<logName>}.
     */
    private static LocalKinesis freshKinesis(Settings settings, String logName) {
        Path log = LocalServers.localData(settings, logName);
        try {
            Files.createDirectories(log.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalKinesis kinesis = LocalKinesis.start(settings.kinesis().region(), log);
        try {
            for (String stream : LocalServers.streams(settings)) {
                kinesis.createStream(stream, LocalServers.SHARDS);
            }
            return kinesis;
        } catch (RuntimeException e) {
            kinesis.close();
            throw e;
        }
    }

    /**
     * The streaming jobs' checkpoints, made afresh: those of an earlier run name sequence numbers of a Kinesis server
     * that is gone (see {@link #freshKinesis}).
     */
    private static void freshStreamCheckpoints(Lake lake, String command) {
        for (RecordKind kind : RecordKind.values()) {
            WorkFolder.fresh(Path.of(lake.checkpoint(StreamingRun.queryName(kind))), command);
        }
    }

    /** A day's posts through the kinesis sink into the prefix's streams. */
    private void emulateToStreams(KinesisClient client, Settings settings, long seed, LocalDate day, int posts) {
        Emulator.Summary sent = sendAll(new KinesisSink(client, settings.prefix(), Backoff.DEFAULT),
                new PostGenerator(seed, day), posts, OptionalDouble.empty());
        out.printf("emulated %s to %s, the posts of %s%n", sent, LocalServers.kinesisTarget(settings), day);
    }

    /** The three streaming tables: their counts and first rows. */
    private void printStreamingTables(Lake lake) {
        for (RecordKind kind : RecordKind.values()) {
            String table = kind.streamingTable(lake.settings().prefix());
            var rows = lake.read(table);
            out.printf("%n%s: %d rows%n", table, rows.count());
            rows.show(5, 40);
        }
    }

    private void emulate(Options options) {
        Settings settings = options.settings();
        LocalDate day = options.dayOrToday();
        int posts = options.positiveInt("posts", 10_000);
        OptionalDouble rate = options.positiveNumber("rate");
        String sink = options.option("sink", "landing");
        Optional<URI> url = options.url("url");
        PostSource source = source(options, day);
        switch (sink) {
            case "landing" -> {
                if (url.isPresent() || rate.isPresent()) {
                    throw new UsageException("--sink landing writes files: --url and --rate do not apply");
                }
                emulateToLanding(settings, source, options.seed(), day, posts);
            }
            case "kafka-rest" -> {
                if (url.isPresent()) {
                    report(sendAll(new KafkaRestSink(url.get(), settings.prefix(), Backoff.DEFAULT), source, posts, rate),
                            url.get());
                } else {
                    // No URL: the local broker and gateway, for this run, on the given day's clock (else now).
                    Clock clock = options.args().date().isPresent() ? noonOf(day) : Clock.systemUTC();
                    try (KafkaPath kafka = KafkaPath.open(settings, 0, clock, Map.of())) {
                        report(sendAll(new KafkaRestSink(kafka.gatewayUrl(), settings.prefix(), Backoff.DEFAULT), source,
                                posts, rate), kafka.gatewayUrl());
                    }
                }
            }
            case "kinesis" -> {
                if (url.isPresent()) {
                    throw new UsageException("--sink kinesis sends to kinesis.endpoint (--set kinesis.endpoint=URL), not --url");
                }
                try (KinesisClient client = LocalServers.kinesisClient(settings)) {
                    report(sendAll(new KinesisSink(client, settings.prefix(), Backoff.DEFAULT), source, posts, rate),
                            LocalServers.kinesisTarget(settings));
                }
            }
            case "kinesis-api" -> {
                if (url.isPresent()) {
                    report(sendAll(new KinesisApiSink(url.get(), settings.prefix(), Backoff.DEFAULT), source, posts, rate),
                            url.get());
                } else {
                    // No URL: the local gateway's Kinesis proxy route, in front of kinesis.endpoint, for this run.
                    try (KinesisClient client = LocalServers.kinesisClient(settings);
                         LocalGateway gateway = LocalGateway.start(0, Map.of("/streams/", new KinesisProxyHandler(client)))) {
                        report(sendAll(new KinesisApiSink(gateway.url(), settings.prefix(), Backoff.DEFAULT), source, posts,
                                rate), gateway.url());
                    }
                }
            }
            default -> throw new UsageException("--sink: '" + sink + "' is not one of landing, kafka-rest, kinesis, kinesis-api");
        }
    }

    /**
     * The local servers in the foreground, for sending by hand or from another emulator: the Kafka broker, the
     * Kinesis-compatible server at kinesis.endpoint with the three streams, and the gateway with both routes.
     */
    private void serve(Options options) {
        Settings settings = options.settings();
        int port = options.positiveInt("port", settings.localGatewayPort());
        try (LocalServers.Serving serving = LocalServers.serve(settings, port)) {
            KafkaPath kafka = serving.kafka();
            out.printf("Kafka broker: %s%s%n", kafka.bootstrapServers(), kafka.startedBroker() ? " (started)" : "");
            out.printf("Kinesis: %s, streams %s%s%n", LocalServers.kinesisTarget(settings),
                    String.join(", ", LocalServers.streams(settings)), serving.kinesis().started() ? " (started)" : "");
            out.printf("gateway: POST %s/topics/%s.<pin|geo|user> (Content-Type: %s)%n", kafka.gatewayUrl(),
                    settings.prefix(), KafkaRestSink.CONTENT_TYPE);
            out.printf("         PUT  %s/streams/streaming-%s-<pin|geo|user>/record%n", kafka.gatewayUrl(), settings.prefix());
            KafkaRestHandler.Faults faults = KafkaPath.faults(settings);
            if (faults.any()) {
                out.printf("         /topics/ fails records on purpose (local.kafka-rest-faults): each with probability %s"
                        + " as error_code 2 (retriable), %s as error_code 1%n", faults.retriable(), faults.notRetriable());
            }
            out.println("Ctrl-C stops them.");
            Runtime.getRuntime().addShutdownHook(new Thread(serving::close));
            kafka.awaitBrokerExit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A local Databricks workspace in the foreground ({@link LocalDatabricks}): upload the job jar to it and point
     * Airflow's Databricks connection at it, and the DAGs' jar tasks run on this machine. Its files and run logs live
     * in {@code local-data/databricks}; its runs are forgotten when it stops.
     */
    private void databricks(Options options) {
        Settings settings = options.settings();
        int port = options.positiveInt("port", DATABRICKS_PORT);
        Path root = LocalServers.localData(settings, "databricks");
        LocalDatabricks databricks = LocalDatabricks.start(port, root);
        Runtime.getRuntime().addShutdownHook(new Thread(databricks::close));
        printDatabricksInstructions(databricks, root);
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * How to reach a started local Databricks. Its token, new at each start, is printed once, in the line that
     * exports it as DATABRICKS_TOKEN (what deploy reads); Airflow's connection takes it from there.
     */
    void printDatabricksInstructions(LocalDatabricks databricks, Path root) {
        out.printf("local Databricks: %s (files and run logs in %s)%n", databricks.url(), root);
        out.println("its token for this start (every request needs Authorization: Bearer <token>; deploy reads it from"
                + " DATABRICKS_TOKEN), and Airflow's connection to it:");
        out.printf("  export DATABRICKS_TOKEN=%s%n", databricks.token());
        // in double quotes, so that the shell puts the token in: the JSON's own quotes are escaped
        out.printf("  export AIRFLOW_CONN_DATABRICKS_DEFAULT=\"%s\"%n",
                LocalAirflow.connection(databricks.url(), "$DATABRICKS_TOKEN").replace("\"", "\\\""));
        out.println("Ctrl-C stops it (and any run still going).");
    }

    /** The posts' source: the generator, or the three source tables over JDBC ({@code --source jdbc:...}). */
    private static PostSource source(Options options, LocalDate day) {
        String source = options.option("source", "generator");
        if (source.equals("generator")) {
            return new PostGenerator(options.seed(), day);
        }
        if (source.startsWith("jdbc:")) {
            // User and password from the URL, else PIPELINE_JDBC_USER / PIPELINE_JDBC_PASSWORD: never from a file.
            return new JdbcPostSource(source, JdbcPostSource.credentialsFrom(System.getenv()), options.seed());
        }
        throw new UsageException("--source: '" + source + "' is not generator or a jdbc: URL");
    }

    Emulator.Summary sendAll(PostSink sink, PostSource source, int posts, OptionalDouble rate) {
        try (sink; var stream = source.posts(posts)) {
            return new Emulator(rate, System.console() != null ? System.err : null).run(stream, posts, sink);
        } catch (SinkException | SourceException e) {
            throw new SinkException(e.getMessage() + " (so far: records " + sink.counts() + ")", e);
        }
    }

    private void report(Emulator.Summary summary, Object target) {
        out.printf("emulated %s to %s%n", summary, target);
    }

    private static Clock noonOf(LocalDate day) {
        return Clock.fixed(day.atTime(LocalTime.NOON).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
    }

    LandingSink.Summary emulateToLanding(Settings settings, long seed, LocalDate day, int posts) {
        return emulateToLanding(settings, new PostGenerator(seed, day), seed, day, posts);
    }

    LandingSink.Summary emulateToLanding(Settings settings, PostSource source, long seed, LocalDate day, int posts) {
        long started = System.nanoTime();
        LandingSink sink = new LandingSink(Path.of(settings.landingRoot()), settings.prefix(), seed, day);
        LandingSink.Summary summary;
        try (var stream = source.posts(posts)) {
            summary = sink.write(stream);
        }
        out.printf("emulated %d posts for %s (seed %d) into %s/topics in %.1f s%n", summary.posts(), day, seed,
                settings.landingRoot(), (System.nanoTime() - started) / 1e9);
        return summary;
    }

    private void export(Options options) {
        Path dir = Path.of(options.required("to"));
        Settings settings = options.settings();
        withSpark(spark -> Export.tables(new Lake(spark, settings), List.copyOf(settings.tableNames()), dir)
                .forEach((table, rows) -> out.printf("%s/%s.jsonl: %d rows%n", dir, table, rows)));
    }

    /** Runs the batch DAG's jobs for a date (see {@link BatchRun}), printing each report; returns them by job. */
    Map<String, JobReport> batch(Lake lake, LandingDate date) {
        Map<String, JobReport> reports = new LinkedHashMap<>();
        for (BatchRun.StageResult stage : BatchRun.run(lake, date)) {
            for (BatchRun.StepResult step : stage.steps()) {
                out.println(step.step().name() + ": " + step.report());
                reports.put(step.step().name(), step.report());
            }
        }
        return reports;
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

    static void withSpark(java.util.function.Consumer<SparkSession> work) {
        SparkSession spark = LocalSpark.start();
        try {
            work.accept(spark);
        } finally {
            spark.stop();
        }
    }
}
