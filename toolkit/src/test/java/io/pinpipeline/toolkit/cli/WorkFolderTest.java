package io.pinpipeline.toolkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pinpipeline.toolkit.commands.WorkFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that start a folder afresh delete only a folder they made, never one they find. */
class WorkFolderTest {
    @TempDir
    Path dir;

    @Test
    void aMissingFolderIsMadeWithItsMarker() {
        Path folder = WorkFolder.fresh(dir.resolve("bench"), "bench");
        assertThat(folder).isDirectory();
        assertThat(folder.resolve(WorkFolder.MARKER)).content().contains("./pipeline bench");
    }

    @Test
    void aFolderItMadeIsEmptiedLinksAndAll() throws IOException {
        Path folder = WorkFolder.fresh(dir.resolve("bench"), "bench");
        Files.createDirectories(folder.resolve("lake/pin"));
        Files.writeString(folder.resolve("lake/pin/part-0.parquet"), "rows");
        Path sibling = Files.createDirectories(dir.resolve("lake"));
        Files.writeString(sibling.resolve("keep.txt"), "the user's");
        Files.createSymbolicLink(folder.resolve("link"), sibling);

        WorkFolder.fresh(folder, "bench");

        try (var left = Files.list(folder)) {
            assertThat(left.map(path -> path.getFileName().toString())).containsExactly(WorkFolder.MARKER);
        }
        assertThat(sibling.resolve("keep.txt")).as("what a link pointed at").hasContent("the user's");
    }

    @Test
    void aFolderItDidNotMakeIsNeverDeleted() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("bench"));
        Files.writeString(folder.resolve("results.csv"), "the user's");

        assertThatThrownBy(() -> WorkFolder.fresh(folder, "bench"))
                .isInstanceOf(UsageException.class)
                .hasMessage("bench: " + folder + " exists and was not made by ./pipeline (no " + WorkFolder.MARKER
                        + " in it): not deleting it; move it away or point the settings elsewhere");
        assertThat(folder.resolve("results.csv")).hasContent("the user's");
        assertThat(folder.resolve(WorkFolder.MARKER)).doesNotExist();
    }

    @Test
    void benchBenchSinksBenchStreamAndAirflowDemoRefuseAFolderTheyDidNotMake() throws IOException {
        // each command's folder, as its settings place it: beside the lake, or beside the local Kafka data
        List<List<String>> commands = List.of(
                List.of("bench", "bench", "--posts", "10"),
                List.of("bench-sinks", "bench-sinks", "--posts", "10"),
                List.of("bench-stream", "bench", "--stream", "--seconds", "1"),
                List.of("airflow-demo", "airflow-demo", "--posts", "10"));
        for (List<String> command : commands) {
            Path folder = Files.createDirectories(dir.resolve(command.get(0)));
            Files.writeString(folder.resolve("keep.txt"), "the user's");
            List<String> args = new java.util.ArrayList<>(command.subList(1, command.size()));
            args.addAll(List.of("--set", "lake.root=" + dir.resolve("lake"), "--set",
                    "local.kafka-data=" + dir.resolve("kafka")));
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            assertThatThrownBy(() -> new Cli(new PrintStream(out)).run(args.toArray(String[]::new)))
                    .as(String.join(" ", args))
                    .isInstanceOf(UsageException.class)
                    .hasMessageContaining(folder + " exists and was not made by ./pipeline");
            assertThat(folder.resolve("keep.txt")).hasContent("the user's");
            assertThat(out.toString()).as("nothing done before").isEmpty();
        }
    }
}
