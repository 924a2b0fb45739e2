package io.pinpipeline.toolkit.commands;

import java.io.PrintStream;
import java.util.List;

/**
 * One {@code ./pipeline} command: the word that names it, its lines in {@code ./pipeline --help}, and what it does with
 * the arguments after that word. A command's variants ({@code bench --stream}) are commands of the same name, each
 * taking the arguments that ask for it. A bad argument is a {@code UsageException} or a {@code SettingsException},
 * thrown before Spark or a server starts; {@code Cli} turns each failure into one line and an exit status.
 */
public interface Command {
    /** The word after {@code ./pipeline}. */
    String name();

    /** Whether these arguments (after the name) ask for this command rather than another variant of the name. */
    default boolean takes(List<String> args) {
        return true;
    }

    /** Its lines in the usage text, as printed: each ends with a line break. */
    String usage();

    /** Runs it with the arguments after its name, printing what it did to {@code out}. */
    void run(String[] args, PrintStream out);
}
