package dev.marketdata.job.sink.config;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import java.io.Serializable;
import java.time.Duration;

/**
 * How the PostgreSQL sink batches rows and rides out failures.
 *
 * @param maxBatchRows a batch is written as soon as it holds this many distinct rows
 * @param maxBatchDelay ... or when its first row has waited this long
 * @param retry how long and how often a failing operation is retried before the task fails
 * @param breaker when the circuit breaker opens and how long it stays open
 * @param transactionLog where an exactly-once writer keeps its open transaction's batches (ignored at-least-once)
 */
public record SinkSettings(
        int maxBatchRows,
        Duration maxBatchDelay,
        RetryPolicy retry,
        BreakerSettings breaker,
        TransactionLogStore transactionLog)
        implements Serializable {

    public SinkSettings {
        checkArgument(maxBatchRows > 0, "sink.batch.max-rows must be positive, got %s", maxBatchRows);
        checkNotNull(maxBatchDelay, "sink.batch.max-delay must be set");
        checkArgument(
                !maxBatchDelay.isNegative() && !maxBatchDelay.isZero(),
                "sink.batch.max-delay must be positive, got %s",
                maxBatchDelay);
        checkNotNull(retry, "retry policy must be set");
        checkNotNull(breaker, "circuit breaker settings must be set");
        checkNotNull(transactionLog, "sink.transaction-log must be set");
    }

    /** Batching, retries and circuit breaker as given; the transaction log on disk, the option's default. */
    public SinkSettings(int maxBatchRows, Duration maxBatchDelay, RetryPolicy retry, BreakerSettings breaker) {
        this(maxBatchRows, maxBatchDelay, retry, breaker, TransactionLogStore.DISK);
    }

    /** Batching as given, default retries and circuit breaker. */
    public SinkSettings(int maxBatchRows, Duration maxBatchDelay) {
        this(maxBatchRows, maxBatchDelay, RetryPolicy.DEFAULT, BreakerSettings.DEFAULT);
    }
}
