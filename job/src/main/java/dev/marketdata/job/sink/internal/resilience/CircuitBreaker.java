package dev.marketdata.job.sink.internal.resilience;

import dev.marketdata.job.sink.config.BreakerSettings;
import java.util.function.LongSupplier;

/**
 * A circuit breaker around the database for one sink subtask: {@code CLOSED} until {@code failures} attempts in
 * a row fail, then {@code OPEN} (no attempt reaches the database) for the cool-down, then {@code HALF_OPEN} for a
 * single probe, which closes it again on success or reopens it on failure. Not thread-safe: it lives on the
 * task thread.
 */
public final class CircuitBreaker {

    /** The breaker's states; {@link #code} is the value of the {@code circuitState} gauge. */
    public enum State {
        CLOSED(0),
        OPEN(1),
        HALF_OPEN(2);

        public final int code;

        State(int code) {
            this.code = code;
        }
    }

    /** Told of every change of state. */
    public interface Listener {
        void onTransition(State from, State to, int consecutiveFailures);
    }

    private final BreakerSettings settings;
    private final LongSupplier nanoClock;
    private final Listener listener;

    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openedAtNanos;

    public CircuitBreaker(BreakerSettings settings, LongSupplier nanoClock, Listener listener) {
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.listener = listener;
    }

    public State state() {
        return state;
    }

    /** How long until an attempt may go to the database: 0 unless the breaker is open and cooling down. */
    public long nanosUntilAttempt() {
        if (state != State.OPEN) {
            return 0;
        }
        return Math.max(0, openedAtNanos + settings.coolDown().toNanos() - nanoClock.getAsLong());
    }

    /**
     * Called before an attempt; moves an open breaker whose cool-down is over to half-open (the attempt is the
     * probe).
     *
     * @throws IllegalStateException if the breaker is open and still cooling down
     */
    public void beforeAttempt() {
        if (state == State.OPEN) {
            if (nanosUntilAttempt() > 0) {
                throw new IllegalStateException("the circuit is open: no attempt may reach the database");
            }
            moveTo(State.HALF_OPEN);
        }
    }

    public void onSuccess() {
        consecutiveFailures = 0;
        if (state != State.CLOSED) {
            moveTo(State.CLOSED);
        }
    }

    public void onFailure() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || (state == State.CLOSED && consecutiveFailures >= settings.failures())) {
            openedAtNanos = nanoClock.getAsLong();
            moveTo(State.OPEN);
        }
    }

    private void moveTo(State next) {
        State previous = state;
        state = next;
        listener.onTransition(previous, next, consecutiveFailures);
    }
}
