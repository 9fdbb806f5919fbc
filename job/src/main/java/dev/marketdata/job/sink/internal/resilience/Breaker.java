package dev.marketdata.job.sink.internal.resilience;

/**
 * What a {@link SqlRetrier} asks before and tells after each attempt at the database. Lives on the task thread.
 * {@link #NONE} lets every attempt through: for an operation with no breaker (a committer whose writer runs
 * elsewhere, the replay command).
 */
public interface Breaker {

    /** A breaker that never opens. */
    Breaker NONE = new Breaker() {
        @Override
        public CircuitBreaker.State state() {
            return CircuitBreaker.State.CLOSED;
        }

        @Override
        public long nanosUntilAttempt() {
            return 0;
        }

        @Override
        public void beforeAttempt() {}

        @Override
        public void onSuccess() {}

        @Override
        public void onFailure() {}

        @Override
        public String toString() {
            return "no breaker";
        }
    };

    CircuitBreaker.State state();

    /** How long until an attempt may go to the database, in nanoseconds: 0 unless open and cooling down. */
    long nanosUntilAttempt();

    /**
     * Called before an attempt (which is the probe, if the breaker was open and its cool-down is over).
     *
     * @throws IllegalStateException if the breaker is open and still cooling down
     */
    void beforeAttempt();

    void onSuccess();

    void onFailure();
}
