package io.pinpipeline.toolkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pinpipeline.jobs.records.RecordKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LandingSinkTest {
    private static final LocalDate DATE = LocalDate.of(2024, 5, 1);
    private static final String PREFIX = "0a1b2c3d4e5f";

    @TempDir
    Path landing;

    @Test
    void filesFollowTheS3SinksLayoutAndRotateEveryNRecords() {
        LandingSink.Summary summary = sink(7, 3).write(posts(7, 7));

        assertThat(files()).containsExactly(
                "topics/0a1b2c3d4e5f.geo/dt=2024-05-01/0a1b2c3d4e5f.geo+7+0000000000.json",
                "topics/0a1b2c3d4e5f.geo/dt=2024-05-01/0a1b2c3d4e5f.geo+7+0000000003.json",
                "topics/0a1b2c3d4e5f.geo/dt=2024-05-01/0a1b2c3d4e5f.geo+7+0000000006.json",
                "topics/0a1b2c3d4e5f.pin/dt=2024-05-01/0a1b2c3d4e5f.pin+7+0000000000.json",
                "topics/0a1b2c3d4e5f.pin/dt=2024-05-01/0a1b2c3d4e5f.pin+7+0000000003.json",
                "topics/0a1b2c3d4e5f.pin/dt=2024-05-01/0a1b2c3d4e5f.pin+7+0000000006.json",
                "topics/0a1b2c3d4e5f.user/dt=2024-05-01/0a1b2c3d4e5f.user+7+0000000000.json",
                "topics/0a1b2c3d4e5f.user/dt=2024-05-01/0a1b2c3d4e5f.user+7+0000000003.json",
                "topics/0a1b2c3d4e5f.user/dt=2024-05-01/0a1b2c3d4e5f.user+7+0000000006.json");
        assertThat(summary.posts()).isEqualTo(7);
        assertThat(summary.files().stream().map(file -> landing.relativize(file).toString())).containsExactly(
                "topics/0a1b2c3d4e5f.pin/dt=2024-05-01/0a1b2c3d4e5f.pin+7+0000000000.json",
                "topics/0a1b2c3d4e5f.pin/dt=2024-05-01/0a1b2c3d4e5f.pin+7+0000000003.json",
                "topics/0a1b2c3d4e5f.pin/dt=2024-05-01/0a1b2c3d4e5f.pin+7+0000000006.json",
                "topics/0a1b2c3d4e5f.geo/dt=2024-05-01/0a1b2c3d4e5f.geo+7+0000000000.json",
                "topics/0a1b2c3d4e5f.geo/dt=2024-05-01/0a1b2c3d4e5f.geo+7+0000000003.json",
                "topics/0a1b2c3d4e5f.geo/dt=2024-05-01/0a1b2c3d4e5f.geo+7+0000000006.json",
                "topics/0a1b2c3d4e5f.user/dt=2024-05-01/0a1b2c3d4e5f.user+7+0000000000.json",
                "topics/0a1b2c3d4e5f.user/dt=2024-05-01/0a1b2c3d4e5f.user+7+0000000003.json",
                "topics/0a1b2c3d4e5f.user/dt=2024-05-01/0a1b2c3d4e5f.user+7+0000000006.json");
        assertThat(summary).hasToString("landing: 7 posts, 21 records in 9 files");
    }

    @Test
    void eachFileHoldsItsRecordsAsUtf8LinesInSendingOrder() {
        List<Post> posts = posts(7, 7).toList();
        sink(7, 3).write(posts.stream());

        Path pins = landing.resolve("topics/0a1b2c3d4e5f.pin/dt=2024-05-01");
        assertThat(bytes(pins.resolve("0a1b2c3d4e5f.pin+7+0000000000.json")))
                .isEqualTo(utf8Lines(posts.subList(0, 3), Post::pin));
        assertThat(bytes(pins.resolve("0a1b2c3d4e5f.pin+7+0000000003.json")))
                .isEqualTo(utf8Lines(posts.subList(3, 6), Post::pin));
        assertThat(bytes(pins.resolve("0a1b2c3d4e5f.pin+7+0000000006.json")))
                .isEqualTo(utf8Lines(posts.subList(6, 7), Post::pin));
        assertThat(bytes(landing.resolve("topics/0a1b2c3d4e5f.geo/dt=2024-05-01/0a1b2c3d4e5f.geo+7+0000000003.json")))
                .isEqualTo(utf8Lines(posts.subList(3, 6), Post::geo));
        assertThat(bytes(landing.resolve("topics/0a1b2c3d4e5f.user/dt=2024-05-01/0a1b2c3d4e5f.user+7+0000000006.json")))
                .isEqualTo(utf8Lines(posts.subList(6, 7), Post::user));
    }

    @Test
    void textBeyondAsciiIsWrittenAsUtf8() {
        Post post = new Post(1, "{\"index\":1,\"description\":\"Creative and\u2026\u00a0\"}", "{\"ind\":1}", "{\"ind\":1}");
        sink(7, 3).write(Stream.of(post));

        assertThat(bytes(landing.resolve("topics/0a1b2c3d4e5f.pin/dt=2024-05-01/0a1b2c3d4e5f.pin+7+0000000000.json")))
                .endsWith(0x61, 0x6e, 0x64, 0xe2, 0x80, 0xa6, 0xc2, 0xa0, '"', '}', '\n');
    }

    @Test
    void theSameSeedAndDateWriteByteIdenticalFiles() {
        sink(7, 40).write(new PostGenerator(7, DATE).posts(100));
        Map<String, byte[]> first = contents();
        sink(7, 40).write(new PostGenerator(7, DATE).posts(100));

        assertThat(contents()).containsOnlyKeys(first.keySet());
        first.forEach((file, bytes) -> assertThat(bytes(landing.resolve(file))).as(file).isEqualTo(bytes));
    }

    @Test
    void aRerunReplacesWhatTheSameSeedAndDateWroteAndNothingElse() {
        sink(8, 3).write(posts(8, 4));
        sink(7, 3).write(posts(7, 7));
        sink(7, 3).write(posts(7, 4));

        assertThat(files()).filteredOn(file -> file.contains(".pin/")).containsExactly(
                "topics/0a1b2c3d4e5f.pin/dt=2024-05-01/0a1b2c3d4e5f.pin+7+0000000000.json",
                "topics/0a1b2c3d4e5f.pin/dt=2024-05-01/0a1b2c3d4e5f.pin+7+0000000003.json",
                "topics/0a1b2c3d4e5f.pin/dt=2024-05-01/0a1b2c3d4e5f.pin+8+0000000000.json",
                "topics/0a1b2c3d4e5f.pin/dt=2024-05-01/0a1b2c3d4e5f.pin+8+0000000003.json");
        assertThat(bytes(landing.resolve("topics/0a1b2c3d4e5f.pin/dt=2024-05-01/0a1b2c3d4e5f.pin+7+0000000003.json")))
                .isEqualTo(utf8Lines(posts(7, 4).skip(3).toList(), Post::pin));
    }

    @Test
    void differentSeedsWriteDifferentFilesWithDifferentPosts() {
        sink(7, 40).write(new PostGenerator(7, DATE).posts(10));
        sink(8, 40).write(new PostGenerator(8, DATE).posts(10));
        Path geo = landing.resolve("topics/0a1b2c3d4e5f.geo/dt=2024-05-01");

        assertThat(bytes(geo.resolve("0a1b2c3d4e5f.geo+7+0000000000.json")))
                .isNotEqualTo(bytes(geo.resolve("0a1b2c3d4e5f.geo+8+0000000000.json")));
    }

    @Test
    void noPostsWriteNoFiles() {
        LandingSink.Summary summary = sink(7, 3).write(Stream.empty());

        assertThat(summary).hasToString("landing: 0 posts, 0 records in 0 files");
        assertThat(files()).isEmpty();
    }

    @Test
    void aPrefixThatIsNoTopicNameFailsAndSaysWhy() {
        assertThatThrownBy(() -> new LandingSink(landing, "a/b", 7, DATE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prefix: 'a/b' is not a Kafka topic prefix (letters, digits, '.', '_' and '-')");
    }

    @Test
    void theDefaultSinkRotatesEveryHundredThousandRecords() {
        assertThat(LandingSink.RECORDS_PER_FILE).isEqualTo(100_000);
        assertThat(LandingSink.fileName("p.pin", 42, 100_000)).isEqualTo("p.pin+42+0000100000.json");
        assertThat(new LandingSink(landing, "p", 42, DATE).folder(RecordKind.USER))
                .isEqualTo(landing.resolve("topics").resolve("p.user").resolve("dt=2024-05-01"));
    }

    private LandingSink sink(long seed, int recordsPerFile) {
        return new LandingSink(landing, PREFIX, seed, DATE, recordsPerFile);
    }

    private static Stream<Post> posts(long seed, int count) {
        return new PostGenerator(seed, DATE).posts(count);
    }

    private static byte[] utf8Lines(List<Post> posts, Function<Post, String> kind) {
        return posts.stream().map(post -> kind.apply(post) + "\n").collect(Collectors.joining())
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Every file under the landing root, hidden ones included, relative and sorted. */
    private List<String> files() {
        try (Stream<Path> paths = Files.walk(landing)) {
            return paths.filter(Files::isRegularFile).map(path -> landing.relativize(path).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, byte[]> contents() {
        Map<String, byte[]> contents = new TreeMap<>();
        files().forEach(file -> contents.put(file, bytes(landing.resolve(file))));
        return contents;
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
