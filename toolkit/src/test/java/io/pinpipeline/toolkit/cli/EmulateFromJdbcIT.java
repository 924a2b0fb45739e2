package io.pinpipeline.toolkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.toolkit.emulator.JdbcPostSource;
import io.pinpipeline.toolkit.emulator.Post;
import io.pinpipeline.toolkit.emulator.SourceTable;
import io.pinpipeline.toolkit.testing.LocalMariaDb;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./pipeline emulate --source jdbc:...}: posts read from the three source tables, as the original did. */
class EmulateFromJdbcIT {
    @TempDir
    Path home;

    @Test
    void emulatesFromTheSourceTablesIntoTheLandingZone() throws Exception {
        try (LocalMariaDb db = LocalMariaDb.start()) {
            try (Connection connection = db.connect()) {
                SourceTable.loadCapture(connection);
            }
            String url = db.url(LocalMariaDb.DATABASE) + "?user=" + LocalMariaDb.USER + "&password=" + db.password();
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            new Cli(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run(new String[] {"emulate", "--source", url,
                    "--posts", "300", "--seed", "9", "--date", "2024-05-01", "--set", "home=" + home});

            List<Post> expected;
            try (Stream<Post> posts = new JdbcPostSource(db.url(LocalMariaDb.DATABASE), db.credentials(), 9).posts(300)) {
                expected = posts.toList();
            }
            Path pins = home.resolve("local-data/landing/topics/0a1b2c3d4e5f.pin/dt=2024-05-01/0a1b2c3d4e5f.pin+9+0000000000.json");
            Path users = pins.getParent().getParent().getParent().resolve(
                    "0a1b2c3d4e5f.user/dt=2024-05-01/0a1b2c3d4e5f.user+9+0000000000.json");
            assertThat(Files.readAllLines(pins)).containsExactlyElementsOf(expected.stream().map(Post::pin).toList());
            assertThat(Files.readAllLines(users)).containsExactlyElementsOf(expected.stream().map(Post::user).toList());
            assertThat(expected.stream().map(Post::ind).distinct().count()).isLessThan(300);
            assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("emulated 300 posts")
                    .doesNotContain(db.password());
        }
    }
}
