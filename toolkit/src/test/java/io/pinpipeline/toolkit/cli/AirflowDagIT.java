package io.pinpipeline.toolkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pinpipeline.jobs.metrics.GoldTables;
import io.pinpipeline.toolkit.commands.AirflowDemo;
import io.pinpipeline.toolkit.commands.Repository;
import io.pinpipeline.toolkit.local.LocalAirflow;
import io.pinpipeline.toolkit.settings.ToolkitSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.io.output.TeeOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real batch DAG, run by real Airflow (the launcher's .venv, MWAA's version and Databricks provider), against
 * the local Databricks workspace, each task a driver JVM of the uploaded jar: what {@code ./pipeline airflow-demo}
 * does, over two dates, the second being what a backfill over those dates runs next. The tables must equal, row for
 * row, those of the batch lane run in this JVM on the same landed posts.
 *
 * <p>The first date runs all twelve tasks. On the second, to keep the suite's time, the nine metric tasks are marked
 * successful without running ({@code --mark-success-pattern}): they take no date and were just run; the second date
 * shows the date reaching the cleaning jobs, the backfill's point.
 */
class AirflowDagIT {
    static final int POSTS = 400;
    static final LocalDate FIRST_DAY = LocalDate.of(2024, 5, 1);
    static final LocalDate SECOND_DAY = LocalDate.of(2024, 5, 2);
    static final String METRIC_TASKS = "(top|median|users)_.*";
    static final List<String> CLEANING = List.of("CleanPins", "CleanGeo", "CleanUsers");
    static final List<String> METRICS = List.of("TopCategoryByCountry", "TopCategoryByYear", "TopUserByCountry",
            "TopCountryByUserFollowers", "TopCategoryByAgeGroup", "MedianFollowersByAgeGroup", "MedianFollowersByJoinYear",
            "MedianFollowersByAgeGroupAndJoinYear", "UsersJoinedByYear");

    // Kept when the test fails: the Airflow logs and the driver logs of the runs are in it.
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path home;
    @TempDir
    Path referenceHome;

    private static String run(String... args) {
        return CliOutput.of(args);
    }

    @Test
    void theBatchDagRunsItsJobsOnDatabricksForEachDateAndLeavesTheBatchLanesTables() throws IOException {
        for (LocalDate day : List.of(FIRST_DAY, SECOND_DAY)) {
            run("emulate", "--posts", String.valueOf(POSTS), "--seed", "11", "--date", day.toString(), "--set", "home=" + home);
        }
        ToolkitSettings settings = ToolkitSettings.load("local", Map.of("home", home.toString()));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        AirflowDemo.Result result = AirflowDemo.run(settings, Repository.root(), home,
                home.resolve("local-data/airflow-demo"), new AirflowDemo.DagRuns(AirflowDemo.BATCH_DAG,
                        List.of(FIRST_DAY, SECOND_DAY), day -> { }, Map.of(SECOND_DAY, METRIC_TASKS)),
                new PrintStream(new TeeOutputStream(printed, System.out), true, StandardCharsets.UTF_8));

        assertThat(result.dagRuns()).extracting(LocalAirflow.DagRun::logicalDate, LocalAirflow.DagRun::state)
                .containsExactly(tuple(FIRST_DAY, "success"), tuple(SECOND_DAY, "success"));
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .containsPattern("job jar uploaded as dbfs:/FileStore/pinterest-pipeline/jars/pinterest-jobs-[\\w.-]+-[0-9a-f]{12}\\.jar");
        // The workspace's token, shown once where it started, reached Airflow without landing in any log or file.
        Matcher shown = Pattern.compile("token (dapi[0-9a-f]{32})").matcher(printed.toString(StandardCharsets.UTF_8));
        assertThat(shown.find()).as("the start line shows the token").isTrue();
        String token = shown.group(1);
        assertThat(printed.toString(StandardCharsets.UTF_8).split(token, -1)).as("printed once").hasSize(2);
        try (Stream<Path> files = Files.walk(home.resolve("local-data/airflow-demo"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString())
                        .doesNotContain(token);
            }
        }
        // Each task one Databricks run of its main class, with --env from the settings file and --date from {{ ds }},
        // all successful, the cleaning before the metrics; the first date all twelve, the second its cleaning.
        List<String> expected = new ArrayList<>();
        for (String job : CLEANING) {
            expected.add(FIRST_DAY + " " + snakeCase(job) + " io.pinpipeline.jobs.batch." + job);
        }
        for (String job : METRICS) {
            expected.add(FIRST_DAY + " " + snakeCase(job) + " io.pinpipeline.jobs.metrics." + job);
        }
        for (String job : CLEANING) {
            expected.add(SECOND_DAY + " " + snakeCase(job) + " io.pinpipeline.jobs.batch." + job);
        }
        List<AirflowDemo.DatabricksRun> runs = result.databricksRuns();
        assertThat(runs).allSatisfy(run -> {
            assertThat(run.state()).as(run.toString()).isEqualTo("TERMINATED SUCCESS");
            assertThat(run.runName()).startsWith("pinterest_batch.");
            assertThat(run.parameters()).containsExactly("--env", "local", "--date", run.runName().split(" ")[1]);
        });
        assertThat(runs).extracting(run -> run.runName().split(" ")[1] + " " + run.runName().split("[. ]")[1] + " " + run.mainClass())
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(runs.subList(0, 3)).allMatch(run -> run.mainClass().contains(".batch.Clean"));
        // One driver JVM a run, its log kept.
        for (AirflowDemo.DatabricksRun run : runs) {
            assertThat(home.resolve("local-data/airflow-demo/databricks/runs/" + run.runId() + "/driver.log")).isNotEmptyFile();
        }

        // The same posts through the batch lane in this JVM: the first date (gold), then the second (silver).
        copyTree(home.resolve("local-data/landing"), referenceHome.resolve("local-data/landing"));
        Path exported = home.resolve("export");
        Path referenceGold = referenceHome.resolve("export-first-day");
        Path referenceSilver = referenceHome.resolve("export-second-day");
        run("batch", "--date", FIRST_DAY.toString(), "--set", "home=" + referenceHome);
        run("export", "--to", referenceGold.toString(), "--set", "home=" + referenceHome);
        run("batch", "--date", SECOND_DAY.toString(), "--set", "home=" + referenceHome);
        run("export", "--to", referenceSilver.toString(), "--set", "home=" + referenceHome);
        run("export", "--to", exported.toString(), "--set", "home=" + home);
        for (String table : List.of("pin", "geo", "user")) {
            assertThat(Files.readString(exported.resolve(table + ".jsonl"))).as(table).isNotEmpty()
                    .isEqualTo(Files.readString(referenceSilver.resolve(table + ".jsonl")));
        }
        for (String table : GoldTables.ALL) {
            assertThat(Files.readString(exported.resolve(table + ".jsonl"))).as(table).isNotEmpty()
                    .isEqualTo(Files.readString(referenceGold.resolve(table + ".jsonl")));
        }
        // Both dates are in silver: the second DAG run added its day's posts to the first's.
        assertThat(Files.readString(exported.resolve("pin.jsonl")))
                .isNotEqualTo(Files.readString(referenceGold.resolve("pin.jsonl")));
        assertThat(Files.readAllLines(exported.resolve("quarantine.jsonl"))).isEmpty();
    }

    static String snakeCase(String className) {
        return className.replaceAll("(?<!^)(?=[A-Z])", "_").toLowerCase();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }
}
