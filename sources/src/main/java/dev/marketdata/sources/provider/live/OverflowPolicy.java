package dev.marketdata.sources.provider.live;

/**
 * What a live source does when its buffer between the socket and the Flink reader is full ({@code --overflow}).
 * A live feed cannot be slowed down by asking, so one of three things gives.
 */
public enum OverflowPolicy {
    /**
     * Stop reading the socket until the reader has taken records: TCP flow control pushes back on the provider,
     * which may then close the connection as a slow client (the source reconnects and repairs the gap from REST).
     * Nothing is lost; the stream lags.
     */
    BLOCK("block"),
    /**
     * Drop the oldest buffered record to the dead-letter queue (reason {@link LiveMetrics#OVERFLOW}) and count it:
     * the stream stays current, the dropped bars are in the dead-letter files to replay.
     */
    DROP_OLDEST("drop-oldest"),
    /** Fail the job with one line naming the buffer size: for a job where a lag or a drop is worse than a stop. */
    FAIL("fail");

    private final String label;

    OverflowPolicy(String label) {
        this.label = label;
    }

    /** The option value, e.g. {@code drop-oldest}; Flink matches option values against it. */
    @Override
    public String toString() {
        return label;
    }
}
