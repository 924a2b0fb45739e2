package io.pinpipeline.toolkit.emulator;

/**
 * A tiny seeded random generator (Steele, Lea and Flood's SplitMix64), written out here rather than taken
 * from {@code java.util} so that a seed gives the same posts on every JDK, now and later.
 */
final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    /** The SplitMix64 finaliser: a bijective scramble of 64 bits, also used to derive seeds. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform in [0, 1), on the 53 bits a double holds. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound), by Lemire's multiply-shift on 32 random bits (bias below 2^-32 * bound). */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** Uniform in [from, to], both ends included; the range must be below 2^53. */
    long between(long from, long to) {
        return from + (long) (nextDouble() * (to - from + 1));
    }
}
