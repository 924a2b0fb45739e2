package io.pinpipeline.toolkit.cli;

import io.pinpipeline.jobs.settings.SettingsException;
import io.pinpipeline.toolkit.commands.AirflowDemoCommand;
import io.pinpipeline.toolkit.commands.BatchCommand;
import io.pinpipeline.toolkit.commands.Bench;
import io.pinpipeline.toolkit.commands.Command;
import io.pinpipeline.toolkit.commands.DatabricksCommand;
import io.pinpipeline.toolkit.commands.DemoCommand;
import io.pinpipeline.toolkit.commands.DeployCommand;
import io.pinpipeline.toolkit.commands.DuckDbBench;
import io.pinpipeline.toolkit.commands.EmulateCommand;
import io.pinpipeline.toolkit.commands.ExportCommand;
import io.pinpipeline.toolkit.commands.ReportCommand;
import io.pinpipeline.toolkit.commands.RunCommand;
import io.pinpipeline.toolkit.commands.ScaleBench;
import io.pinpipeline.toolkit.commands.ServeCommand;
import io.pinpipeline.toolkit.commands.SinkBench;
import io.pinpipeline.toolkit.commands.StreamBench;
import io.pinpipeline.toolkit.commands.StreamDrainBench;
import io.pinpipeline.toolkit.deploy.DeployException;
import io.pinpipeline.toolkit.emulator.SinkException;
import io.pinpipeline.toolkit.emulator.SourceException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code ./pipeline} commands: which class runs each (the table), the usage text made of their lines, and the
 * exit status a failure gives. Arguments are checked before Spark starts; a bad one is one line on stderr and exit
 * status 2.
 */
public final class Cli {
    /**
     * Every command, in the order of the usage text. A command's variants share its name ({@code bench},
     * {@code bench --stream}): the one that takes the arguments runs.
     */
    static final List<Command> COMMANDS = List.of(
            new DemoCommand(),
            new RunCommand(),
            new BatchCommand(),
            new EmulateCommand(),
            new ServeCommand(),
            new DatabricksCommand(),
            new ExportCommand(),
            new ReportCommand(),
            new Bench(),
            new DuckDbBench(),
            new SinkBench(),
            new ScaleBench(),
            new StreamBench(),
            new StreamDrainBench(),
            new AirflowDemoCommand(),
            new DeployCommand());

    private final PrintStream out;

    Cli(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] argv) {
        // The launcher's JVM is ours (unlike a Databricks driver): end it with the command's status.
        System.exit(new Cli(System.out).exitStatus(argv, System.err));
    }

    /** What {@code ./pipeline --help} prints: each command's lines, then the launcher's own, then the jobs. */
    static String usage() {
        StringBuilder usage = new StringBuilder("usage: ./pipeline COMMAND [--env NAME] [--set key=value]... [options]\n");
        COMMANDS.forEach(command -> usage.append(command.usage()));
        usage.append("  test                                         the whole test suite (handled by the launcher)\n");
        usage.append("jobs: ").append(String.join(", ", Jobs.names())).append('\n');
        return usage.toString();
    }

    /**
     * Runs a command and gives its exit status: 0 when it did all it should (an emulator run: every record in), 1
     * when what it ran failed (a record not delivered, a job, a DAG run), 2 for a bad argument or setting, deploy's
     * own; a failure is one line on {@code err}.
     */
    int exitStatus(String[] argv, PrintStream err) {
        try {
            run(argv);
            return 0;
        } catch (SettingsException | UsageException e) {
            err.println("pipeline: " + e.getMessage());
            return 2;
        } catch (SinkException | SourceException | RunFailedException e) {
            err.println("pipeline: " + e.getMessage());
            return 1;
        } catch (DeployException e) {
            err.println("pipeline: deploy: " + e.getMessage());
            return e.exitStatus();
        }
    }

    void run(String[] argv) {
        if (argv.length == 0 || List.of("-h", "--help", "help").contains(argv[0])) {
            out.print(usage());
            return;
        }
        String name = argv[0];
        String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
        Command command = COMMANDS.stream()
                .filter(each -> each.name().equals(name) && each.takes(Arrays.asList(rest)))
                .findFirst()
                .orElseThrow(() -> new UsageException("unknown command '" + name + "' (try ./pipeline --help)"));
        command.run(rest, out);
    }
}
