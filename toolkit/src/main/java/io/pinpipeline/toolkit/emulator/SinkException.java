package io.pinpipeline.toolkit.emulator;

/** A sink could not deliver records: the server refused them (a 4xx) or kept failing until retries ran out. */
public final class SinkException extends RuntimeException {
    public SinkException(String message) {
        super(message);
    }

    public SinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
