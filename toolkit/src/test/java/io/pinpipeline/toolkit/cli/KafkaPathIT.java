package io.pinpipeline.toolkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.jobs.batch.CleaningRun;
import io.pinpipeline.jobs.ingest.KafkaToLanding;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.jobs.settings.JobArgs;
import io.pinpipeline.jobs.settings.LandingDate;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.toolkit.commands.Export;
import io.pinpipeline.toolkit.emulator.LandingSink;
import io.pinpipeline.toolkit.emulator.Post;
import io.pinpipeline.toolkit.emulator.PostGenerator;
import io.pinpipeline.toolkit.local.KafkaRestHandler;
import io.pinpipeline.toolkit.local.LocalGateway;
import io.pinpipeline.toolkit.local.LocalSpark;
import io.pinpipeline.toolkit.settings.ToolkitSettings;
import io.pinpipeline.toolkit.testing.TestKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka path end to end, through the ./pipeline commands: 10,000 posts through the kafka-rest sink and the
 * REST-proxy stand-in into a real broker, KafkaToLanding into the landing zone (SPEC 3 layout), the batch to silver;
 * re-runs and a replayed micro-batch write nothing twice, and silver equals what the direct landing path gives.
 */
class KafkaPathIT {
    static final LocalDate DAY = LocalDate.of(2024, 5, 1);
    static final int POSTS = 10_000;
    static final String PREFIX = "0a1b2c3d4e5f";

    @TempDir
    Path viaKafka;
    @TempDir
    Path direct;

    private static String run(String... args) {
        return CliOutput.of(args);
    }

    private static String[] with(Path home, String bootstrapServers, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--set", "home=" + home, "--set", "kafka.bootstrap-servers=" + bootstrapServers,
                // several micro-batches, so that files start at later offsets too
                "--set", "kafka.max-offsets-per-trigger=7000"));
        return all.toArray(String[]::new);
    }

    @Test
    void postsThroughKafkaLandOnceAndCleanToTheSameSilverAsTheDirectPath() throws IOException {
        List<Post> posts = new PostGenerator(11, DAY).posts(POSTS).toList();
        long distinctKeys = posts.stream().map(Post::ind).distinct().count();
        assertThat(distinctKeys).isLessThan(POSTS);
        Set<String> topics = Arrays.stream(RecordKind.values()).map(kind -> kind.topic(PREFIX)).collect(Collectors.toSet());
        Map<Path, String> landed;
        try (TestKafka kafka = TestKafka.start(); Producer<String, String> producer = kafka.producer()) {
            kafka.createTopics(topics);
            String servers = kafka.bootstrapServers();
            Clock noon = Clock.fixed(DAY.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
            try (LocalGateway gateway = LocalGateway.start(0, Map.of("/topics/", new KafkaRestHandler(producer, topics, noon)))) {
                String sent = run(with(viaKafka, servers, "emulate", "--sink", "kafka-rest", "--url", gateway.url().toString(),
                        "--posts", String.valueOf(POSTS), "--seed", "11", "--date", DAY.toString()));
                assertThat(sent).contains("records sent " + 3 * POSTS + ", retried 0, failed 0");
            }
            run(with(viaKafka, servers, "run", "KafkaToLanding"));
            landed = landingFiles(viaKafka);
            assertLayoutHoldsEveryRecordOnceInOrder(landed, posts);

            // The rest in one local session (starting Spark for every step would double the test's time).
            Settings kafkaSettings = ToolkitSettings.load(JobArgs.parse(with(viaKafka, servers))).jobs();
            Settings directSettings = Settings.load(JobArgs.parse(new String[] {"--set", "home=" + direct}));
            LocalSpark.with(spark -> {
                Lake kafkaLake = new Lake(spark, kafkaSettings);
                // A re-run finds nothing new and writes nothing.
                assertThat(KafkaToLanding.run(kafkaLake, kafkaSettings).records()).isZero();
                assertThat(landingFiles(viaKafka)).isEqualTo(landed);

                // A crash after the last micro-batch wrote its files but before it was committed: the restart
                // replays it, and writes the same files again rather than a second copy.
                Path lastCommit = lastCommit(viaKafka.resolve("local-data/lake/_checkpoints/kafka-to-landing/commits"));
                assertThat(lastCommit.getFileName().toString()).isNotEqualTo("0");
                uncommit(lastCommit);
                assertThat(KafkaToLanding.run(kafkaLake, kafkaSettings).records()).isPositive();
                assertThat(lastCommit).exists();
                assertThat(landingFiles(viaKafka)).isEqualTo(landed);

                // Silver from the Kafka path: every post once, repeats collapsed; and row for row what the direct
                // landing path gives for the same posts.
                new LandingSink(Path.of(directSettings.landingRoot()), PREFIX, 11, DAY).write(posts.stream());
                Lake directLake = new Lake(spark, directSettings);
                for (RecordKind kind : RecordKind.values()) {
                    String counts = kind.label() + " " + DAY + ": " + POSTS + " lines read = " + distinctKeys
                            + " rows upserted (" + distinctKeys + " new, 0 changed) + " + (POSTS - distinctKeys)
                            + " duplicates collapsed + 0 quarantined";
                    assertThat(CleaningRun.run(kafkaLake, kind, LandingDate.of(DAY)).toString()).startsWith(counts);
                    assertThat(CleaningRun.run(directLake, kind, LandingDate.of(DAY)).toString()).startsWith(counts);
                }
                List<String> silver = Arrays.stream(RecordKind.values()).map(RecordKind::silverTable).toList();
                Export.tables(kafkaLake, silver, viaKafka.resolve("export"));
                Export.tables(directLake, silver, direct.resolve("export"));
            });
        }
        for (RecordKind kind : RecordKind.values()) {
            String table = kind.silverTable() + ".jsonl";
            assertThat(Files.readString(viaKafka.resolve("export").resolve(table)))
                    .isEqualTo(Files.readString(direct.resolve("export").resolve(table)));
            assertThat(Files.readAllLines(viaKafka.resolve("export").resolve(table))).hasSize((int) distinctKeys);
        }
    }

    private static Path lastCommit(Path commits) {
        try (Stream<Path> files = Files.list(commits)) {
            return files.filter(file -> file.getFileName().toString().matches("\\d+"))
                    .max(Comparator.comparingLong(file -> Long.parseLong(file.getFileName().toString()))).orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a micro-batch's commit (and the local file system's checksum beside it, which a crash would not leave). */
    private static void uncommit(Path commit) {
        try {
            Files.delete(commit);
            Files.deleteIfExists(commit.resolveSibling("." + commit.getFileName() + ".crc"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * topics/<p>.<kind>/dt=2024-05-01/<p>.<kind>+0+<first offset>.json only; the files' lines, in offset order, are
     * the records as sent.
     */
    private static void assertLayoutHoldsEveryRecordOnceInOrder(Map<Path, String> landed, List<Post> posts) {
        for (RecordKind kind : RecordKind.values()) {
            String topic = kind.topic(PREFIX);
            Path folder = Path.of("topics", topic, "dt=" + DAY);
            Map<Long, String> byOffset = new TreeMap<>();
            landed.forEach((file, text) -> {
                if (file.startsWith(Path.of("topics", topic))) {
                    assertThat(file.getParent()).isEqualTo(folder);
                    String name = file.getFileName().toString();
                    assertThat(name).matches(java.util.regex.Pattern.quote(topic) + "\\+0\\+\\d{10}\\.json");
                    byOffset.put(Long.parseLong(name.substring(name.length() - 15, name.length() - 5)), text);
                }
            });
            assertThat(byOffset).hasSizeGreaterThan(1);
            assertThat(byOffset.keySet().iterator().next()).isZero();
            Function<Post, String> record = post -> post.record(kind);
            List<String> lines = byOffset.values().stream().flatMap(String::lines).toList();
            assertThat(lines).containsExactlyElementsOf(posts.stream().map(record).toList());
            // each file starts at the offset after the previous file's last line
            long expected = 0;
            for (Map.Entry<Long, String> file : byOffset.entrySet()) {
                assertThat(file.getKey()).isEqualTo(expected);
                expected += file.getValue().lines().count();
            }
        }
    }

    /** Every visible file under the landing zone, by its path relative to the landing root, with its text. */
    private static Map<Path, String> landingFiles(Path home) {
        Path root = home.resolve("local-data/landing");
        Map<Path, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                assertThat(path.getFileName().toString()).doesNotStartWith(".");
                files.put(root.relativize(path), Files.readString(path));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
