package io.pinpipeline.jobs.settings;

/**
 * A bad argument or setting. Its message is one line that names the argument or key, so that a job
 * fails before Spark starts with a message an operator can act on.
 */
public final class SettingsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public SettingsException(String message) {
        super(message);
    }
}
