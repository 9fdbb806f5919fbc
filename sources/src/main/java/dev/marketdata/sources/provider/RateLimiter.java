package dev.marketdata.sources.provider;

/**
 * Spaces one reader's requests evenly at its share of the job's rate ({@link RateShare}): each request is due one
 * interval after the one before, with no burst beyond one request after an idle spell. Thread-safe.
 */
final class RateLimiter {

    private long intervalNanos;
    private long nextFreeNanos;

    RateLimiter(double requestsPerMinute) {
        setRate(requestsPerMinute);
        nextFreeNanos = System.nanoTime();
    }

    synchronized void setRate(double requestsPerMinute) {
        intervalNanos = (long) (60e9 / Math.max(requestsPerMinute, 1e-3));
    }

    /** Takes the next slot; returns how many nanoseconds to wait for it (0 when it is free now). */
    synchronized long reserve() {
        long now = System.nanoTime();
        long slot = Math.max(nextFreeNanos, now);
        nextFreeNanos = slot + intervalNanos;
        return slot - now;
    }
}
