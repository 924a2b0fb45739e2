package io.pinpipeline.toolkit.deploy;

/**
 * Deploy could not finish. {@link #exitStatus()} is 2 when it was not ready to start (a setting, the jar or the
 * token missing: nothing was sent) and 1 when an upload failed.
 */
public final class DeployException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitStatus;

    private DeployException(String message, int exitStatus, Throwable cause) {
        super(message, cause);
        this.exitStatus = exitStatus;
    }

    /** Nothing was sent: the user has to set something first. */
    static DeployException notReady(String message) {
        return new DeployException(message, 2, null);
    }

    static DeployException failed(String message, Throwable cause) {
        return new DeployException(message, 1, cause);
    }

    public int exitStatus() {
        return exitStatus;
    }
}
