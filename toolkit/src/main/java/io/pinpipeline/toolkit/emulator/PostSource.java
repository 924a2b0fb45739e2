package io.pinpipeline.toolkit.emulator;

import java.util.stream.Stream;

/**
 * Where the emulator's posts come from: the seeded generator ({@link PostGenerator}) or the three source tables
 * over JDBC, as the original emulator read them.
 */
public interface PostSource {
    /** {@code count} posts, in sending order; lazily, so that a long run does not hold them all. */
    Stream<Post> posts(int count);
}
