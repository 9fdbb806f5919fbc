package dev.marketdata.job.sink.internal.resilience;

import static org.apache.flink.util.Preconditions.checkNotNull;

import dev.marketdata.job.sink.config.RetryPolicy;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one database operation until it succeeds, on the task thread: a failed attempt is retried after an
 * exponential backoff with jitter, or, while the circuit breaker is open, after its cool-down; when the retry
 * budget is spent the last error fails the task, and Flink restarts the job from its last checkpoint. Waiting
 * blocks the task thread (so backpressure reaches the sources), through a {@link Waiter} that stays responsive
 * to interrupts.
 *
 * <p>Every failed attempt counts toward opening the circuit breaker except contention (lock timeouts,
 * serialization failures, deadlocks), which shows the database up and answering.
 *
 * <p>Data errors are not this class's business: the batch writer isolates and dead-letters the offending rows
 * before an error gets here. One that does get here (raised outside a row's statement, say by a deferred
 * constraint at {@code PREPARE}) is retried within the budget like any error that is not transient.
 */
public final class SqlRetrier {

    private static final Logger LOG = LoggerFactory.getLogger(SqlRetrier.class);

    /** One attempt of the operation. */
    @FunctionalInterface
    public interface Attempt<R> {
        R run() throws SQLException, IOException;
    }

    /** Cleans up after a failed attempt, e.g. drops a broken connection, before the next one. */
    @FunctionalInterface
    public interface FailureHandler {
        void afterFailure(SQLException e);
    }

    /** Blocks the calling thread for a while. */
    @FunctionalInterface
    public interface Waiter {
        /**
         * @param runMailbox whether to run the task's pending mails meanwhile: only worth it while a row lock is
         *     awaited, which the commit of this writer's own prepared transaction (a mail) may hold
         */
        void await(long nanos, boolean runMailbox) throws InterruptedException;
    }

    private final String subject;
    private final RetryPolicy policy;
    private final Breaker breaker;
    private final SqlErrorMetrics metrics;
    private final Waiter waiter;
    private final LongSupplier nanoClock;
    private final DoubleSupplier random;

    /**
     * @param subject what the operations act on, for messages, e.g. {@code bars (subtask 0)}
     * @param breaker the subtask's circuit breaker, or {@link Breaker#NONE}
     */
    public SqlRetrier(
            String subject,
            RetryPolicy policy,
            Breaker breaker,
            SqlErrorMetrics metrics,
            Waiter waiter,
            LongSupplier nanoClock,
            DoubleSupplier random) {
        this.subject = subject;
        this.policy = policy;
        this.breaker = checkNotNull(breaker, "breaker (Breaker.NONE for none)");
        this.metrics = metrics;
        this.waiter = waiter;
        this.nanoClock = nanoClock;
        this.random = random;
    }

    /**
     * Runs {@code attempt} until it succeeds or the budget is spent.
     *
     * @param what the operation, for messages, e.g. {@code write a batch of 5000 rows}
     * @throws IOException with the last SQL error as its cause when the budget is spent, or an attempt's own
     *     IOException (not retried)
     * @throws InterruptedException if the task is cancelled while waiting
     */
    public <R> R run(String what, Attempt<R> attempt, FailureHandler afterFailure)
            throws IOException, InterruptedException {
        long start = nanoClock.getAsLong();
        long deadline = start + policy.budget().toNanos();
        int attempts = 0;
        SQLException last = null;
        while (true) {
            long coolDown = breaker.nanosUntilAttempt();
            if (coolDown > 0) {
                if (nanoClock.getAsLong() + coolDown > deadline) {
                    throw givenUp(what, attempts, start, last);
                }
                waiter.await(coolDown, false);
                continue;
            }
            breaker.beforeAttempt();
            attempts++;
            if (attempts > 1) {
                metrics.retried();
            }
            try {
                R result = attempt.run();
                breaker.onSuccess();
                if (attempts > 1) {
                    LOG.info(
                            "{}: {} succeeded at attempt {}, {} after the first failed",
                            subject,
                            what,
                            attempts,
                            Duration.ofNanos(nanoClock.getAsLong() - start));
                }
                return result;
            } catch (SQLException e) {
                last = e;
                metrics.error(e.getSQLState());
                afterFailure.afterFailure(e);
                if (SqlStateClassifier.isContention(e.getSQLState())) {
                    // The database answered: it is up, just busy. An open breaker would only make the wait
                    // longer, and keep the mailbox (and the commit a lock may be waiting for) from running.
                    breaker.onSuccess();
                } else {
                    breaker.onFailure();
                }
                long now = nanoClock.getAsLong();
                if (now >= deadline) {
                    throw givenUp(what, attempts, start, e);
                }
                if (breaker.state() == CircuitBreaker.State.OPEN) {
                    LOG.warn(
                            "{}: {} failed (attempt {}, SQLState {}): {}; the circuit is open, next try in {}",
                            subject,
                            what,
                            attempts,
                            e.getSQLState(),
                            e.getMessage(),
                            Duration.ofNanos(breaker.nanosUntilAttempt()));
                    continue; // the cool-down replaces the backoff
                }
                long backoff = Math.min(policy.backoffNanos(attempts, random.getAsDouble()), deadline - now);
                LOG.warn(
                        "{}: {} failed (attempt {}, SQLState {}, {}): {}; retrying in {}",
                        subject,
                        what,
                        attempts,
                        e.getSQLState(),
                        SqlStateClassifier.classify(e),
                        e.getMessage(),
                        Duration.ofNanos(backoff));
                waiter.await(backoff, SqlStateClassifier.LOCK_NOT_AVAILABLE.equals(e.getSQLState()));
            }
        }
    }

    private IOException givenUp(String what, int attempts, long start, SQLException last) {
        String state = last == null ? null : last.getSQLState();
        return new IOException(
                String.format(
                        "%s: gave up trying to %s after %d attempt(s) in %s (sink.retry.budget %s)%s; Flink restarts the job "
                                + "from its last checkpoint",
                        subject,
                        what,
                        attempts,
                        Duration.ofNanos(nanoClock.getAsLong() - start),
                        policy.budget(),
                        last == null
                                ? ", the circuit breaker being open"
                                : ", last error SQLState " + state + ": " + last.getMessage()),
                last);
    }
}
