package io.pinpipeline.toolkit.emulator;

/**
 * A post source could not give posts: the database refused the connection, a source table is missing, or the
 * tables are not as the emulator needs them (unequal row counts, a column without a JSON form, keys that
 * disagree). The message names the table and says why; it never holds a password.
 */
public final class SourceException extends RuntimeException {
    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
