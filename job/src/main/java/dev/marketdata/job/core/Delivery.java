package dev.marketdata.job.core;

/** What the PostgreSQL sink guarantees after a failure and restore. */
public enum Delivery {
    /**
     * Each checkpoint's rows are one prepared transaction per writer, committed when the checkpoint completes:
     * nothing is lost, nothing is written twice, and readers never see rows of a checkpoint that did not complete.
     */
    EXACTLY_ONCE("exactly-once"),
    /** Batches are committed as written; a restore replays rows, which land idempotently on their keys. */
    AT_LEAST_ONCE("at-least-once");

    private final String label;

    Delivery(String label) {
        this.label = label;
    }

    /** The option value, e.g. {@code exactly-once}; Flink matches option values against it. */
    @Override
    public String toString() {
        return label;
    }
}
