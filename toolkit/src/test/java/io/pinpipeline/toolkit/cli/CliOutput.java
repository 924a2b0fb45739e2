package io.pinpipeline.toolkit.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.io.output.TeeOutputStream;

/**
 * Runs a ./pipeline command in the test's JVM, as the launcher would, and gives back what it printed; it goes to
 * the test's output too, so that a failed command's story is in the test report.
 */
final class CliOutput {
    private CliOutput() {
    }

    static String of(String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        OutputStream both = new TeeOutputStream(buffer, System.out);
        new Cli(new PrintStream(both, true, StandardCharsets.UTF_8)).run(args);
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
