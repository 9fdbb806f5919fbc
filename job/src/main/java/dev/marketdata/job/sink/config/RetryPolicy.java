package dev.marketdata.job.sink.config;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import java.io.Serializable;
import java.time.Duration;

/**
 * How long the sink keeps retrying one operation, and how long it waits between attempts: exponential backoff
 * with jitter, bounded by a total time budget after which the task fails and Flink restarts it from the last
 * checkpoint.
 *
 * @param budget the longest one operation (a batch, a prepare, a commit) may keep failing before the task fails
 * @param initialBackoff wait before the first retry; each further retry waits twice as long ...
 * @param maxBackoff ... up to this
 */
public record RetryPolicy(Duration budget, Duration initialBackoff, Duration maxBackoff) implements Serializable {

    public static final RetryPolicy DEFAULT =
            new RetryPolicy(Duration.ofMinutes(2), Duration.ofMillis(100), Duration.ofSeconds(5));

    public RetryPolicy {
        checkNotNull(budget, "sink.retry.budget must be set");
        checkNotNull(initialBackoff, "sink.retry.initial-backoff must be set");
        checkNotNull(maxBackoff, "sink.retry.max-backoff must be set");
        checkArgument(!budget.isNegative(), "sink.retry.budget must not be negative, got %s", budget);
        checkArgument(
                initialBackoff.toMillis() >= 1,
                "sink.retry.initial-backoff must be at least 1ms, got %s",
                initialBackoff);
        checkArgument(
                maxBackoff.compareTo(initialBackoff) >= 0,
                "sink.retry.max-backoff (%s) must not be below sink.retry.initial-backoff (%s)",
                maxBackoff,
                initialBackoff);
    }

    /**
     * The wait before retry number {@code retry} (1 for the first): {@code min(max, initial * 2^(retry-1))}, of
     * which half is fixed and half is random ("equal jitter"), so writers that failed together do not retry
     * together, yet none retries sooner than half the backoff.
     *
     * @param random a number in [0, 1)
     */
    public long backoffNanos(int retry, double random) {
        checkArgument(retry >= 1, "retries count from 1, got %s", retry);
        double exponential = initialBackoff.toNanos() * Math.pow(2, Math.min(retry - 1, 62));
        double capped = Math.min(maxBackoff.toNanos(), exponential);
        return (long) (capped / 2 + random * capped / 2);
    }
}
