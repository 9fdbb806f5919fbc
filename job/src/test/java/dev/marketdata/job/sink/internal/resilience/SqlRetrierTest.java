package dev.marketdata.job.sink.internal.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.job.sink.config.BreakerSettings;
import dev.marketdata.job.sink.config.RetryPolicy;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.flink.metrics.testutils.MetricListener;
import org.junit.jupiter.api.Test;

/** The retry loop on a clock the test drives: exact waits, attempts, breaker transitions and metrics. */
class SqlRetrierTest {

    private long now;
    private final List<Long> waitsMillis = new ArrayList<>();
    private final List<Boolean> mailboxRuns = new ArrayList<>();
    private final List<String> transitions = new ArrayList<>();
    private final List<String> cleanUps = new ArrayList<>();
    private final MetricListener metrics = new MetricListener();

    private SqlRetrier retrier(Duration budget, BreakerSettings breakerSettings) {
        Breaker breaker = breakerSettings == null
                ? Breaker.NONE
                : new CircuitBreaker(
                        breakerSettings,
                        () -> now,
                        (from, to, failures) -> transitions.add(from.code + "->" + to.code));
        return new SqlRetrier(
                "bars (subtask 0)",
                new RetryPolicy(budget, Duration.ofMillis(100), Duration.ofSeconds(1)),
                breaker,
                new SqlErrorMetrics(metrics.getMetricGroup()),
                (nanos, runMailbox) -> {
                    waitsMillis.add(Duration.ofNanos(nanos).toMillis());
                    mailboxRuns.add(runMailbox);
                    now += nanos;
                },
                () -> now,
                () -> 0.999999999);
    }

    /** An operation that fails with the given SQLStates, one per attempt, then returns "done". */
    private SqlRetrier.Attempt<String> failing(String... states) {
        Deque<String> left = new ArrayDeque<>(List.of(states));
        return () -> {
            now += Duration.ofMillis(5).toNanos(); // each attempt takes a little time
            if (left.isEmpty()) {
                return "done";
            }
            throw new SQLException("failure " + left.size(), left.pop());
        };
    }

    private long counter(String... path) {
        return metrics.getCounter(path).map(c -> c.getCount()).orElse(-1L);
    }

    @Test
    void retriesTransientFailuresWithExponentialBackoff() throws Exception {
        String result = retrier(Duration.ofMinutes(2), null)
                .run("write a batch", failing("08006", "57P03", "40P01", "08001"), e -> cleanUps.add(e.getSQLState()));

        assertThat(result).isEqualTo("done");
        assertThat(waitsMillis).containsExactly(99L, 199L, 399L, 799L);
        assertThat(cleanUps).containsExactly("08006", "57P03", "40P01", "08001");
        assertThat(counter("retries")).isEqualTo(4);
        assertThat(counter("sqlStateClass", "08", "sqlErrors")).isEqualTo(2);
        assertThat(counter("sqlStateClass", "57", "sqlErrors")).isEqualTo(1);
        assertThat(counter("sqlStateClass", "40", "sqlErrors")).isEqualTo(1);
    }

    @Test
    void givesUpWhenTheBudgetIsSpentWithTheLastErrorAsCause() {
        String[] forever = new String[100];
        java.util.Arrays.fill(forever, "08006");

        assertThatThrownBy(() -> retrier(Duration.ofSeconds(2), null).run("write a batch", failing(forever), e -> {}))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(
                        "bars (subtask 0): gave up trying to write a batch after 6 attempt(s) in PT2.005S "
                                + "(sink.retry.budget PT2S), last error SQLState 08006: failure 95; Flink restarts the job")
                .cause()
                .isInstanceOf(SQLException.class);
        // 100, 200, 400, 800 ms, then only what is left of the budget: the last attempt comes at the deadline.
        assertThat(waitsMillis).containsExactly(99L, 199L, 399L, 799L, 475L);
        assertThat(counter("retries")).isEqualTo(5);
    }

    @Test
    void anUnknownErrorIsRetriedLikeATransientOneUntilTheBudgetIsSpent() {
        assertThatThrownBy(() -> retrier(Duration.ofMillis(500), null)
                        .run("write a batch", failing("42P01", "42P01", "42P01", "42P01", "42P01"), e -> {}))
                .hasMessageContaining("after 4 attempt(s)")
                .hasMessageContaining("SQLState 42P01");
        assertThat(counter("sqlStateClass", "42", "sqlErrors")).isEqualTo(4);
    }

    @Test
    void anOpenBreakerHoldsOffEveryAttemptForItsCoolDownAndAProbeClosesIt() throws Exception {
        SqlRetrier retrier = retrier(Duration.ofMinutes(2), new BreakerSettings(3, Duration.ofSeconds(10)));

        String result = retrier.run("write a batch", failing("08001", "08001", "08001", "08001", "08001"), e -> {});

        assertThat(result).isEqualTo("done");
        // two backoffs; open after the third failure; the first and second probes fail and reopen it
        assertThat(waitsMillis).containsExactly(99L, 199L, 10_000L, 10_000L, 10_000L);
        assertThat(transitions).containsExactly("0->1", "1->2", "2->1", "1->2", "2->1", "1->2", "2->0");
        assertThat(counter("retries")).isEqualTo(5);
    }

    @Test
    void lockTimeoutsDoNotOpenTheBreakerAndLetTheMailboxRunWhileWaiting() throws Exception {
        SqlRetrier retrier = retrier(Duration.ofMinutes(2), new BreakerSettings(2, Duration.ofSeconds(10)));

        retrier.run("write a batch", failing("55P03", "40P01", "55P03", "40001", "08006"), e -> {});

        assertThat(transitions).isEmpty();
        // only a lock wait may be held by a prepared transaction whose commit is a mail of this task
        assertThat(mailboxRuns).containsExactly(true, false, true, false, false);
    }

    @Test
    void givesUpAtOnceWhenTheBreakerWouldStayOpenPastTheBudget() {
        SqlRetrier retrier = retrier(Duration.ofSeconds(5), new BreakerSettings(2, Duration.ofSeconds(10)));

        assertThatThrownBy(() -> retrier.run("write a batch", failing("08001", "08001", "08001"), e -> {}))
                .hasMessageContaining("after 2 attempt(s)");
        assertThat(waitsMillis).containsExactly(99L);
        assertThat(transitions).containsExactly("0->1");
    }

    @Test
    void doesNotRetryWhatIsNotASqlError() {
        SqlRetrier.Attempt<String> broken = () -> {
            throw new IOException("disk gone");
        };
        assertThatThrownBy(() -> retrier(Duration.ofMinutes(2), null).run("stage dead letters", broken, e -> {}))
                .isInstanceOf(IOException.class)
                .hasMessage("disk gone");
        assertThat(waitsMillis).isEmpty();
    }

    @Test
    void anInterruptWhileWaitingEndsTheLoop() {
        SqlRetrier retrier = new SqlRetrier(
                "bars (subtask 0)",
                RetryPolicy.DEFAULT,
                Breaker.NONE,
                new SqlErrorMetrics(metrics.getMetricGroup()),
                (nanos, runMailbox) -> {
                    throw new InterruptedException("cancelled");
                },
                System::nanoTime,
                () -> 0.5);

        assertThatThrownBy(() -> retrier.run("write a batch", failing("08006"), e -> {}))
                .isInstanceOf(InterruptedException.class);
    }
}
