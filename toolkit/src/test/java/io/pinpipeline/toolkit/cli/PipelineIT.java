package io.pinpipeline.toolkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipeline.jobs.metrics.GoldTables;
import io.pinpipeline.jobs.settings.SettingsException;
import io.pinpipeline.toolkit.emulator.Post;
import io.pinpipeline.toolkit.emulator.PostGenerator;
import io.pinpipeline.toolkit.local.Loopback;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ./pipeline commands end to end, in this JVM: emulate, the batch jobs on Delta, export. */
class PipelineIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int POSTS = 3_000;
    static final LocalDate DAY = LocalDate.of(2024, 5, 1);

    @TempDir
    Path home;
    @TempDir
    Path kafkaHome;
    @TempDir
    Path streamHome;

    private static String run(String... args) {
        return CliOutput.of(args);
    }

    @Test
    void demoThenExportGivesOneCleanRowPerEmulatedKey() throws IOException {
        String demo = run("demo", "--posts", String.valueOf(POSTS), "--seed", "7", "--date", DAY.toString(),
                "--set", "home=" + home);
        List<Post> posts = new PostGenerator(7, DAY).posts(POSTS).toList();
        Map<Long, Post> byKey = new LinkedHashMap<>();
        posts.forEach(post -> byKey.put(post.ind(), post));
        int duplicates = POSTS - byKey.size();
        assertThat(duplicates).isPositive();
        assertThat(demo).contains("pin 2024-05-01: " + POSTS + " lines read = " + byKey.size() + " rows upserted ("
                + byKey.size() + " new, 0 changed) + " + duplicates + " duplicates collapsed + 0 quarantined");

        assertThat(demo).contains("MedianFollowersByAgeGroupAndJoinYear: median_followers_by_age_group_and_join_year: ");
        assertReportHasAChartForEveryGoldTable(home.resolve("local-data/report/report.html"));

        Path out = home.resolve("export");
        run("export", "--to", out.toString(), "--set", "home=" + home);
        List<String> exported = new java.util.ArrayList<>(List.of("geo.jsonl", "pin.jsonl", "quarantine.jsonl", "user.jsonl"));
        GoldTables.ALL.forEach(table -> exported.add(table + ".jsonl"));
        assertThat(Files.list(out).map(path -> path.getFileName().toString()).sorted().toList())
                .containsExactlyElementsOf(exported.stream().sorted().toList());
        assertThat(Files.readAllLines(out.resolve("quarantine.jsonl"))).isEmpty();

        List<JsonNode> pins = readLines(out.resolve("pin.jsonl"));
        assertThat(pins.stream().map(row -> row.get("ind").asLong()).toList())
                .containsExactlyElementsOf(new TreeSet<>(byKey.keySet()));
        JsonNode first = pins.get(0);
        JsonNode sent = JSON.readTree(byKey.get(first.get("ind").asLong()).pin());
        assertThat(first.get("unique_id").asText()).isEqualTo(sent.get("unique_id").asText());
        assertThat(first.get("category").asText()).isEqualTo(sent.get("category").asText());
        assertThat(first.get("save_location").asText())
                .isEqualTo(sent.get("save_location").asText().replace("Local save in ", ""));
        assertThat(first.has("downloaded")).isFalse();

        List<JsonNode> users = readLines(out.resolve("user.jsonl"));
        JsonNode user = users.get(0);
        JsonNode sentUser = JSON.readTree(byKey.get(user.get("ind").asLong()).user());
        assertThat(user.get("user_name").asText())
                .isEqualTo(sentUser.get("first_name").asText() + " " + sentUser.get("last_name").asText());
        assertThat(user.get("date_joined").asText()).isEqualTo(sentUser.get("date_joined").asText());
        assertThat(user.get("age").asInt()).isEqualTo(sentUser.get("age").asInt());

        // The same posts through the local gateway, a real broker process and KafkaToLanding: the same silver.
        String viaKafka = run("demo", "--via", "kafka", "--posts", String.valueOf(POSTS), "--seed", "7", "--date",
                DAY.toString(), "--set", "home=" + kafkaHome, "--set", "kafka.bootstrap-servers=127.0.0.1:" + Loopback.freePort());
        assertThat(viaKafka).contains("records sent " + 3 * POSTS + ", retried 0, failed 0")
                .contains("KafkaToLanding: " + 3 * POSTS + " records in 1 micro-batches");
        assertThat(kafkaHome.resolve("local-data/landing/topics/0a1b2c3d4e5f.pin/dt=2024-05-01/0a1b2c3d4e5f.pin+0+0000000000.json"))
                .exists();
        Path kafkaOut = kafkaHome.resolve("export");
        run("export", "--to", kafkaOut.toString(), "--set", "home=" + kafkaHome);
        for (String table : List.of("pin.jsonl", "geo.jsonl", "user.jsonl")) {
            assertThat(Files.readString(kafkaOut.resolve(table))).as(table).isEqualTo(Files.readString(out.resolve(table)));
        }

        // The same posts through the streaming lane: its tables equal the same silver.
        String streamed = run("demo", "--stream", "--posts", String.valueOf(POSTS), "--seed", "7", "--date",
                DAY.toString(), "--set", "home=" + streamHome);
        assertThat(streamed).contains("records sent " + 3 * POSTS + ", retried 0, failed 0")
                .contains("pin stream: ").contains(POSTS + " records read, " + byKey.size() + " rows upserted, 0 quarantined");
        Path streamOut = streamHome.resolve("export");
        run("export", "--to", streamOut.toString(), "--set", "home=" + streamHome);
        for (String kind : List.of("pin", "geo", "user")) {
            assertThat(Files.readString(streamOut.resolve("0a1b2c3d4e5f_" + kind + "_table.jsonl"))).as(kind)
                    .isEqualTo(Files.readString(out.resolve(kind + ".jsonl")));
        }

        // The same date again, and then every date: the exported tables do not change.
        String before = Files.readString(out.resolve("geo.jsonl"));
        run("batch", "--date", DAY.toString(), "--set", "home=" + home);
        run("batch", "--date", "all", "--set", "home=" + home);
        Path again = home.resolve("export-again");
        run("export", "--to", again.toString(), "--set", "home=" + home);
        assertThat(Files.readString(again.resolve("geo.jsonl"))).isEqualTo(before);
        assertThat(Files.readString(again.resolve("pin.jsonl"))).isEqualTo(Files.readString(out.resolve("pin.jsonl")));
    }

    @Test
    void badArgumentsFailBeforeSparkStartsWithOneLine() {
        assertThatThrownBy(() -> run("batch", "--date", "2024-02-30")).isInstanceOf(SettingsException.class)
                .hasMessage("--date: '2024-02-30' is not a calendar day");
        assertThatThrownBy(() -> run("run", "CleanPins", "--date", "2024-05-01", "--env", "qa"))
                .hasMessageStartingWith("--env: unknown environment 'qa'");
        assertThatThrownBy(() -> run("run", "CleanEverything", "--date", "2024-05-01"))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("unknown job 'CleanEverything'");
        assertThatThrownBy(() -> run("emulate", "--posts", "-3")).isInstanceOf(UsageException.class)
                .hasMessage("--posts: '-3' is not a positive whole number");
        assertThatThrownBy(() -> run("emulate", "--sink", "carrier-pigeon")).isInstanceOf(UsageException.class)
                .hasMessage("--sink: 'carrier-pigeon' is not one of landing, kafka-rest, kinesis, kinesis-api");
        assertThatThrownBy(() -> run("emulate", "--sink", "kafka-rest", "--url", "ftp://x")).isInstanceOf(UsageException.class)
                .hasMessage("--url: 'ftp://x' is not an http(s) URL");
        assertThatThrownBy(() -> run("emulate", "--sink", "kafka-rest", "--rate", "0")).isInstanceOf(UsageException.class)
                .hasMessage("--rate: '0' is not a positive number");
        assertThatThrownBy(() -> run("demo", "--via", "pigeon")).isInstanceOf(UsageException.class)
                .hasMessage("--via: 'pigeon' is not one of landing, kafka, kinesis");
        assertThatThrownBy(() -> run("airflow-demo", "--days", "0")).isInstanceOf(UsageException.class)
                .hasMessage("--days: '0' is not a positive whole number");
        assertThatThrownBy(() -> run("frobnicate")).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("unknown command 'frobnicate'");
        assertThatThrownBy(() -> run("export", "--set", "lake.root=/x")).isInstanceOf(UsageException.class)
                .hasMessage("--to is required");
        // --set reaches the toolkit's settings and the jobs' alike; a mistyped key of either is one line.
        assertThatThrownBy(() -> run("serve", "--set", "local.gatway-port=9000")).isInstanceOf(SettingsException.class)
                .hasMessage("--set: unknown setting 'local.gatway-port'");
        assertThatThrownBy(() -> run("run", "CleanPins", "--date", "2024-05-01", "--set", "lake.rot=/x"))
                .isInstanceOf(SettingsException.class).hasMessage("--set: unknown setting 'lake.rot'");
        assertThatThrownBy(() -> run("deploy", "--env", "dev", "--set", "mwaa.bucket=Not_A_Bucket"))
                .isInstanceOf(SettingsException.class)
                .hasMessage("setting mwaa.bucket: 'Not_A_Bucket' is not an S3 bucket name");
    }

    /** Opens the page's HTML: its data block has a drawable chart for every gold table, and it needs no network. */
    private static void assertReportHasAChartForEveryGoldTable(Path page) throws IOException {
        String html = Files.readString(page);
        assertThat(html).contains("Chart.js v4.4.1").doesNotContain("src=\"http").doesNotContain("href=\"http");
        String data = html.substring(html.indexOf('>', html.indexOf("id=\"report-data\"")) + 1,
                html.indexOf("</script>", html.indexOf("id=\"report-data\"")));
        JsonNode report = JSON.readTree(data.replace("<\\/", "</"));
        List<String> charted = new java.util.ArrayList<>();
        for (JsonNode chart : report.get("charts")) {
            assertThat(chart.has("missing")).as(chart.get("table").asText()).isFalse();
            assertThat(chart.get("labels").size()).as(chart.get("table").asText())
                    .isPositive().isEqualTo(chart.get("values").size()).isEqualTo(chart.get("rows").asInt());
            charted.add(chart.get("table").asText());
        }
        assertThat(charted).containsExactlyElementsOf(GoldTables.ALL);
        assertThat(report.get("quality").get(0).get("kind").asText()).isEqualTo("pin");
        assertThat(report.get("run").get(0).asText()).startsWith("pin 2024-05-01: " + POSTS + " lines read");
        assertThat(html).contains("canvas.id = 'chart-' + c.table");
    }

    private static List<JsonNode> readLines(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new IllegalStateException(line, e);
            }
        }).toList();
    }
}
