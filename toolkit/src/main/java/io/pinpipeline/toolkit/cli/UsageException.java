package io.pinpipeline.toolkit.cli;

/** A bad command line: printed as one line, exit status 2. */
public final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
