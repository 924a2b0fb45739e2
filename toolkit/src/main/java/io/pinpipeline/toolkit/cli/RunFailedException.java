package io.pinpipeline.toolkit.cli;

/** A command ran but what it ran failed (a DAG run, a job): printed as one line, exit status 1. */
public final class RunFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunFailedException(String message) {
        super(message);
    }
}
