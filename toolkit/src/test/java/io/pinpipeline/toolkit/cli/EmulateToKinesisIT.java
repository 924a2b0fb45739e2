package io.pinpipeline.toolkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pinpipeline.toolkit.emulator.Post;
import io.pinpipeline.toolkit.emulator.PostGenerator;
import io.pinpipeline.toolkit.local.LocalKinesis;
import io.pinpipeline.toolkit.testing.KinesisStreams;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** {@code ./pipeline emulate --sink kinesis} and {@code --sink kinesis-api} (through the gateway) into kinesis-local. */
class EmulateToKinesisIT {
    static final LocalDate DAY = LocalDate.of(2024, 5, 1);

    private static String run(String... args) {
        return CliOutput.of(args);
    }

    @Test
    void bothKinesisSinksPutEveryRecordOnce() {
        try (LocalKinesis kinesis = LocalKinesis.start("us-east-1", Path.of("target/kinesis-local/EmulateToKinesisIT.log"));
             KinesisClient client = kinesis.client()) {
            KinesisStreams.create(kinesis, "cli");
            String endpoint = "kinesis.endpoint=" + kinesis.endpoint();
            String direct = run("emulate", "--sink", "kinesis", "--posts", "300", "--seed", "1", "--date", DAY.toString(),
                    "--set", "prefix=cli", "--set", endpoint);
            String viaGateway = run("emulate", "--sink", "kinesis-api", "--posts", "60", "--seed", "2", "--date",
                    DAY.toString(), "--set", "prefix=cli", "--set", endpoint);
            assertThat(direct).contains("records sent 900, retried 0, failed 0 to " + kinesis.endpoint());
            assertThat(viaGateway).contains("records sent 180, retried 0, failed 0 to http://127.0.0.1:");

            List<Post> posts = new ArrayList<>(new PostGenerator(1, DAY).posts(300).toList());
            posts.addAll(new PostGenerator(2, DAY).posts(60).toList());
            var expected = KinesisStreams.expected(posts, "cli");
            var stored = KinesisStreams.read(client, "cli");
            expected.forEach((stream, records) ->
                    assertThat(stored.get(stream)).as(stream).containsExactlyInAnyOrderElementsOf(records));
        }
        assertThatThrownBy(() -> run("emulate", "--sink", "kinesis", "--set", "kinesis.endpoint=http://127.0.0.1:9"))
                .isInstanceOf(UsageException.class)
                .hasMessage("no Kinesis server at http://127.0.0.1:9: `./pipeline serve` starts the local one"
                        + " (or --set kinesis.endpoint=URL)");
    }
}
