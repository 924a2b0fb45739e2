package io.pinpipeline.toolkit.emulator;

/**
 * A sink could not deliver records: the server refused them (a 4xx, a record it will not take), answered what does
 * not say which are in, or kept failing until retries ran out.
 */
public final class SinkException extends RuntimeException {
    /** How much of a server's answer goes into a message. */
    private static final int ANSWER_IN_MESSAGE = 300;
    public SinkException(String message) {
        super(message);
    }

    public SinkException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A server's answer as a message quotes it: on one line, cut after 300 characters. */
    static String excerpt(String answer) {
        String line = answer == null ? "" : answer.replaceAll("\\s+", " ").trim();
        return line.length() <= ANSWER_IN_MESSAGE ? line : line.substring(0, ANSWER_IN_MESSAGE) + "...";
    }
}
