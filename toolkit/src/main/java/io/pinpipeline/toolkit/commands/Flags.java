package io.pinpipeline.toolkit.commands;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Flags without a value that pick a command's variant ({@code bench --stream}), taken out before the options are read. */
final class Flags {
    private Flags() {
    }

    /** The arguments without a flag that chose the command's variant ({@code bench --stream}). */
    static String[] without(String[] args, String flag) {
        return Arrays.stream(args).filter(arg -> !arg.equals(flag)).toArray(String[]::new);
    }

    /** A flag without a value, written as the option it stands for ({@code --stream} as {@code --via kinesis}). */
    static String[] asOption(String[] args, String flag, String option, String value) {
        List<String> rewritten = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals(flag)) {
                rewritten.add(option);
                rewritten.add(value);
            } else {
                rewritten.add(arg);
            }
        }
        return rewritten.toArray(String[]::new);
    }
}
