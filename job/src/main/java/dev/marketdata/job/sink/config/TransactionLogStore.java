package dev.marketdata.job.sink.config;

/**
 * Where an exactly-once writer keeps what its open transaction wrote since the last {@code PREPARE TRANSACTION},
 * so a transaction lost with its connection can be written again into a new one (option
 * {@code sink.transaction-log}).
 */
public enum TransactionLogStore {
    /**
     * The encoded {@code COPY} streams on the JVM heap: about 100 bytes a bar, held for up to one checkpoint
     * interval, so the heap still live after a GC grows with the rate times the interval.
     */
    HEAP("heap"),
    /**
     * The encoded {@code COPY} streams appended to an unlinked temporary file in {@code java.io.tmpdir}, read back
     * only to rewrite a lost transaction and truncated at every prepare: the heap holds a few bytes per batch,
     * whatever the rate and the interval. A kill leaves no file behind (it was deleted when opened).
     */
    DISK("disk");

    private final String label;

    TransactionLogStore(String label) {
        this.label = label;
    }

    /** The option value, e.g. {@code disk}; Flink matches option values against it. */
    @Override
    public String toString() {
        return label;
    }
}
