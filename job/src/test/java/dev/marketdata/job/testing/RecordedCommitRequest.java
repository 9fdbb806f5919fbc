package dev.marketdata.job.testing;

import org.apache.flink.api.connector.sink2.Committer.CommitRequest;

/** A commit request that records how the committer answered it, for driving a committer directly. */
public final class RecordedCommitRequest<T> implements CommitRequest<T> {

    private final T committable;
    private String outcome = "committed";

    public RecordedCommitRequest(T committable) {
        this.committable = committable;
    }

    /** {@code committed}, {@code already committed}, {@code retry later} or {@code failed: <cause>}. */
    public String outcome() {
        return outcome;
    }

    @Override
    public T getCommittable() {
        return committable;
    }

    @Override
    public int getNumberOfRetries() {
        return 0;
    }

    @Override
    public void signalFailedWithKnownReason(Throwable t) {
        outcome = "failed: " + t;
    }

    @Override
    public void signalFailedWithUnknownReason(Throwable t) {
        outcome = "failed: " + t;
    }

    @Override
    public void retryLater() {
        outcome = "retry later";
    }

    @Override
    public void updateAndRetryLater(T committable) {
        outcome = "retry later";
    }

    @Override
    public void signalAlreadyCommitted() {
        outcome = "already committed";
    }
}
