package dev.marketdata.sources.synthetic;

/** Stateless, seeded pseudo-randomness: the same inputs give the same numbers on every machine and run. */
final class Hashing {

    private Hashing() {}

    /** SplitMix64 finalizer over the inputs: cheap, stateless, and well spread. */
    static long mix(long seed, long a, long b, long c) {
        long z = seed + 0x9E3779B97F4A7C15L * (a + 1) + 0xC2B2AE3D27D4EB4FL * (b + 2) + 0x165667B19E3779F9L * (c + 3);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A uniform double in [0, 1) from the top 53 bits of a hash. */
    static double unit(long hash) {
        return (hash >>> 11) * 0x1.0p-53;
    }

    /** A uniform int in [0, n) from a hash. */
    static int below(long hash, int n) {
        return (int) (unit(hash) * n);
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
