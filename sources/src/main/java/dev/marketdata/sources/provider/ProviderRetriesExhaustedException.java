package dev.marketdata.sources.provider;

/**
 * A request kept failing with retryable errors (429, 5xx, timeouts, cut connections) for longer than the retry
 * budget: the task fails, and Flink's restart strategy restores it from the last checkpoint.
 */
public final class ProviderRetriesExhaustedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ProviderRetriesExhaustedException(String message, Throwable lastCause) {
        super(message, lastCause);
    }
}
