package io.pinpipeline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./pipeline infra synth} as a user runs it (after the package phase: the launcher finds the module built),
 * then the offline checks over what it wrote: cfn-lint over every template, parliament over every IAM policy, both
 * from the project's .venv ({@code ./pipeline airflow-setup} installs them). Each check is also shown to fail on a
 * deliberately broken input, so a green run means the check ran.
 */
class InfraSynthIT {
    private static final Path HOME = Synthesized.HOME;
    private static final Path VENV = HOME.resolve(".venv/bin");
    private static final Path POLICY_LINT = HOME.resolve("infra/lint/iam_policies.py");

    @TempDir
    static Path work;
    private static Path out;
    private static Process.Result synth;

    @BeforeAll
    static void synthesizeWithTheLauncher() throws Exception {
        assertThat(VENV.resolve("cfn-lint")).as("cfn-lint in .venv: run ./pipeline airflow-setup").isExecutable();
        out = work.resolve("templates");
        synth = Process.run(work, List.of(HOME.resolve("pipeline").toString(), "infra", "synth", "--env", "dev",
                "--out", out.toString(), "--set", "infra.msk-connect.plugin-zip=" + Synthesized.pluginZip()));
    }

    @Test
    void the_launcher_writes_one_template_a_stack_and_says_where() {
        assertThat(synth.status()).as(synth.output()).isZero();
        assertThat(templates(out)).extracting(path -> path.getFileName().toString()).containsExactlyInAnyOrder(
                "pinterest-pipeline-dev-network.template.json", "pinterest-pipeline-dev-storage.template.json",
                "pinterest-pipeline-dev-streaming.template.json", "pinterest-pipeline-dev-api.template.json",
                "pinterest-pipeline-dev-orchestration.template.json",
                "pinterest-pipeline-dev-databricks-access.template.json");
        assertThat(synth.output()).contains("6 stacks of env dev (prefix 0a1b2c3d4e5f) synthesized to " + out);
    }

    @Test
    void cfn_lint_finds_no_error_in_any_template() throws Exception {
        Process.Result lint = cfnLint(templates(out));
        assertThat(lint.status() & 2).as(lint.output()).isZero();
    }

    @Test
    void cfn_lint_fails_a_broken_template() throws Exception {
        Path template = out.resolve("pinterest-pipeline-dev-streaming.template.json");
        Path broken = work.resolve("broken.template.json");
        // a Kinesis stream mode that does not exist
        Files.writeString(broken, Files.readString(template).replace("\"StreamMode\": \"PROVISIONED\"",
                "\"StreamMode\": \"SOMETIMES\""));
        assertThat(Files.readString(broken)).contains("SOMETIMES");
        Process.Result lint = cfnLint(List.of(broken));
        assertThat(lint.status() & 2).as(lint.output()).isEqualTo(2);
        assertThat(lint.output()).contains("SOMETIMES");
    }

    @Test
    void parliament_finds_no_unknown_action_or_mismatched_resource_in_any_policy() throws Exception {
        Process.Result lint = policyLint(templates(out));
        assertThat(lint.status()).as(lint.output()).isZero();
        assertThat(lint.output()).containsPattern("parliament: [1-9][0-9]* policies checked, 0 errors");
    }

    @Test
    void parliament_fails_an_unknown_action_and_a_resource_the_action_cannot_take() throws Exception {
        Path template = out.resolve("pinterest-pipeline-dev-databricks-access.template.json");
        Path unknownAction = work.resolve("unknown-action.template.json");
        Files.writeString(unknownAction, Files.readString(template).replace("\"kinesis:GetRecords\"", "\"kinesis:GetRecord\""));
        Process.Result unknown = policyLint(List.of(unknownAction));
        assertThat(unknown.status()).as(unknown.output()).isEqualTo(1);
        assertThat(unknown.output()).contains("UNKNOWN_ACTION");

        Path mismatch = work.resolve("mismatch.template.json");
        // s3:PutObject on a bucket ARN, not its objects
        Files.writeString(mismatch, Files.readString(template).replace("\"s3:GetBucketLocation\"", "\"s3:PutObject\""));
        Process.Result mismatched = policyLint(List.of(mismatch));
        assertThat(mismatched.status()).as(mismatched.output()).isEqualTo(1);
        assertThat(mismatched.output()).contains("RESOURCE_MISMATCH");
    }

    private static Process.Result cfnLint(List<Path> templates) throws Exception {
        List<String> command = new ArrayList<>(List.of(VENV.resolve("cfn-lint").toString(), "--regions", "us-east-1",
                "--ignore-checks", "W3005", "--"));
        templates.forEach(path -> command.add(path.toString()));
        return Process.run(work, command);
    }

    private static Process.Result policyLint(List<Path> templates) throws Exception {
        List<String> command = new ArrayList<>(List.of(VENV.resolve("python").toString(), POLICY_LINT.toString()));
        templates.forEach(path -> command.add(path.toString()));
        return Process.run(work, command);
    }

    private static List<Path> templates(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(path -> path.getFileName().toString().endsWith(".template.json")).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs a command to its end (at most 5 minutes), both streams together. */
    static final class Process {
        /** A finished process: its exit status and what it printed. */
        record Result(int status, String output) {
        }

        static Result run(Path dir, List<String> command) throws Exception {
            java.lang.Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("still running after 5 minutes: " + command);
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        }
    }
}
