package io.pinpipeline.toolkit.emulator;

import java.util.List;

/**
 * Where the emulator sends posts: each post is three records, one for each kind (pin, geo, user), each to the
 * kind's own topic or stream. A sink retries what the server could not take for now (5xx, 429, throttling,
 * connection errors, partially failed batches) with backoff, so {@link #send} returns only once every record
 * of the batch is in; a record it cannot deliver (a 4xx, retries exhausted) ends the run with a
 * {@link SinkException} and counts as failed.
 */
public interface PostSink extends AutoCloseable {
    /** Sends the posts' records and waits until the server has accepted every one of them. */
    void send(List<Post> posts);

    /** What this sink has done so far, in records. */
    SinkCounts counts();

    /** The most posts one {@link #send} call should get (the sink splits bigger calls itself anyway). */
    default int batchSize() {
        return 100;
    }

    /**
     * Called once a run has sent every post, before {@link #close}: a sink that writes files puts its last one in
     * place. A run that fails never calls it, so that only finished output stays.
     */
    default void finish() {
    }

    @Override
    void close();
}
