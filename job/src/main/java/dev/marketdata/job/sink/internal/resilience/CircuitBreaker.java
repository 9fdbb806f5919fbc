package dev.marketdata.job.sink.internal.resilience;

import dev.marketdata.job.sink.config.BreakerSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A circuit breaker around the database for one sink subtask: {@code CLOSED} until {@code failures} attempts in
 * a row fail, then {@code OPEN} (no attempt reaches the database) for the cool-down, then {@code HALF_OPEN} for a
 * single probe, which closes it again on success or reopens it on failure. Not thread-safe: it lives on the
 * task thread.
 *
 * <p>The state machine is resilience4j's: a count-based window of the last {@code failures} calls that opens at a
 * failure rate of 100 % once it holds {@code failures} calls is exactly "{@code failures} failures in a row", and
 * one permitted call in half-open is the single probe. This class adds what the retrier needs that resilience4j
 * does not say: how long the cool-down still lasts ({@link #nanosUntilAttempt}), on a clock the tests drive.
 */
public final class CircuitBreaker implements Breaker {

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

    /** What resilience4j records for a failed attempt; the attempt's own error is the retrier's business. */
    private static final Exception FAILED_ATTEMPT = new Exception("failed attempt", null, false, false) {};

    private final BreakerSettings settings;
    private final LongSupplier nanoClock;
    private final io.github.resilience4j.circuitbreaker.CircuitBreaker breaker;

    private int consecutiveFailures;
    private long openedAtNanos;

    /**
     * @param nanoClock the time in nanoseconds, e.g. {@code System::nanoTime}
     * @param listener told of each transition, on the thread that caused it
     */
    public CircuitBreaker(BreakerSettings settings, LongSupplier nanoClock, Listener listener) {
        this.settings = settings;
        this.nanoClock = nanoClock;
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindow(settings.failures(), settings.failures(), SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(100)
                .permittedNumberOfCallsInHalfOpenState(1)
                .waitDurationInOpenState(settings.coolDown())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .writableStackTraceEnabled(false)
                .clock(new NanoClock(nanoClock))
                .build();
        this.breaker = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("database", config);
        breaker.getEventPublisher().onStateTransition(event -> {
            State to = state(event.getStateTransition().getToState());
            if (to == State.OPEN) {
                openedAtNanos = nanoClock.getAsLong();
            }
            listener.onTransition(state(event.getStateTransition().getFromState()), to, consecutiveFailures);
        });
    }

    @Override
    public State state() {
        return state(breaker.getState());
    }

    @Override
    public long nanosUntilAttempt() {
        if (state() != State.OPEN) {
            return 0;
        }
        return Math.max(0, openedAtNanos + settings.coolDown().toNanos() - nanoClock.getAsLong());
    }

    @Override
    public void beforeAttempt() {
        if (state() == State.OPEN) {
            if (nanosUntilAttempt() > 0) {
                throw new IllegalStateException("the circuit is open: no attempt may reach the database");
            }
            // resilience4j lets the probe through only once its clock is strictly past the cool-down.
            breaker.transitionToHalfOpenState();
        }
        // Closed, or the probe of half-open. An attempt that ended in neither success nor failure (a non-SQL error)
        // leaves the probe's permission taken; the next attempt goes through all the same, as the probe.
        breaker.tryAcquirePermission();
    }

    @Override
    public void onSuccess() {
        consecutiveFailures = 0;
        breaker.onSuccess(0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onFailure() {
        consecutiveFailures++;
        breaker.onError(0, TimeUnit.NANOSECONDS, FAILED_ATTEMPT);
    }

    private static State state(io.github.resilience4j.circuitbreaker.CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED -> State.CLOSED;
            case OPEN -> State.OPEN;
            case HALF_OPEN -> State.HALF_OPEN;
            default -> throw new IllegalStateException("a state this breaker never enters: " + state);
        };
    }

    /** A {@link Clock} on a nanosecond time source, for resilience4j's cool-down. */
    private static final class NanoClock extends Clock {

        private final LongSupplier nanos;

        NanoClock(LongSupplier nanos) {
            this.nanos = nanos;
        }

        @Override
        public Instant instant() {
            return Instant.EPOCH.plusNanos(nanos.getAsLong());
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
