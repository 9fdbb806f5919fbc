package dev.marketdata.job.dlq;

/** Where dead letters go ({@code --dlq-destination}). */
public enum DeadLetterDestination {
    /** NDJSON files under {@code --dlq-dir}, one folder per data set. */
    FILES("files"),
    /** The {@code dead_letters} table of the job's database; write-stage letters go in with their batch. */
    TABLE("table");

    private final String label;

    DeadLetterDestination(String label) {
        this.label = label;
    }

    /** The option value; Flink matches option values against it. */
    @Override
    public String toString() {
        return label;
    }
}
