package io.pinpipeline.toolkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pinpipeline.toolkit.local.LocalKinesis;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** KinesisSink against a real kinesis-local on loopback. */
class KinesisSinkIT {
    private static final Backoff QUICK = new Backoff(10, Duration.ofMillis(5), Duration.ofMillis(50));

    private static LocalKinesis kinesis;
    private static KinesisClient client;

    @BeforeAll
    static void startKinesis() {
        kinesis = LocalKinesis.start("us-east-1", Path.of("target/kinesis-local/KinesisSinkIT.log"));
        client = kinesis.client();
    }

    @AfterAll
    static void stopKinesis() {
        if (client != null) {
            client.close();
        }
        if (kinesis != null) {
            kinesis.close();
        }
    }

    @Test
    void everyRecordArrivesOnceByteForByteWithTheIndAsPartitionKey() {
        String prefix = "sink";
        KinesisStreams.create(kinesis, prefix);
        List<Post> posts = new PostGenerator(7, LocalDate.of(2024, 5, 1)).posts(2_000).toList();

        try (KinesisSink sink = new KinesisSink(client, prefix, QUICK)) {
            for (int from = 0; from < posts.size(); from += sink.batchSize()) {
                sink.send(posts.subList(from, Math.min(posts.size(), from + sink.batchSize())));
            }
            assertThat(sink.counts()).isEqualTo(new SinkCounts(6_000, 0, 0));
        }

        Map<String, List<KinesisStreams.StreamRecord>> expected = KinesisStreams.expected(posts, prefix);
        Map<String, List<KinesisStreams.StreamRecord>> read = KinesisStreams.read(client, prefix);
        assertThat(read).containsOnlyKeys(expected.keySet());
        expected.forEach((stream, records) ->
                assertThat(read.get(stream)).as(stream).containsExactlyInAnyOrderElementsOf(records));
    }

    @Test
    void aMissingStreamStopsTheRunNamingTheStream() {
        List<Post> posts = new PostGenerator(7, LocalDate.of(2024, 5, 1)).posts(3).toList();

        try (KinesisSink sink = new KinesisSink(client, "missing", QUICK)) {
            assertThatThrownBy(() -> sink.send(posts))
                    .isInstanceOf(SinkException.class)
                    .hasMessageContaining("streaming-missing-pin")
                    .hasMessageContaining("ResourceNotFoundException");
            assertThat(sink.counts()).isEqualTo(new SinkCounts(0, 0, 3));
        }
    }
}
