package dev.marketdata.job.sink.internal.resilience;

import static dev.marketdata.job.sink.internal.resilience.CircuitBreaker.State.CLOSED;
import static dev.marketdata.job.sink.internal.resilience.CircuitBreaker.State.HALF_OPEN;
import static dev.marketdata.job.sink.internal.resilience.CircuitBreaker.State.OPEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.job.sink.config.BreakerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private long now = 1_000_000_000L;
    private final List<String> transitions = new ArrayList<>();
    private final CircuitBreaker breaker = new CircuitBreaker(
            new BreakerSettings(3, Duration.ofSeconds(10)),
            () -> now,
            (from, to, failures) -> transitions.add(from.code + "->" + to.code + " after " + failures));

    private void advance(Duration d) {
        now += d.toNanos();
    }

    private void failAttempts(int n) {
        for (int i = 0; i < n; i++) {
            breaker.beforeAttempt();
            breaker.onFailure();
        }
    }

    @Test
    void opensAfterTheConfiguredNumberOfConsecutiveFailures() {
        failAttempts(2);
        assertThat(breaker.state()).isEqualTo(CLOSED);
        assertThat(breaker.nanosUntilAttempt()).isZero();

        failAttempts(1);

        assertThat(breaker.state()).isEqualTo(OPEN);
        assertThat(breaker.state().code).isEqualTo(1);
        assertThat(breaker.nanosUntilAttempt()).isEqualTo(Duration.ofSeconds(10).toNanos());
        assertThat(transitions).containsExactly("0->1 after 3");
    }

    @Test
    void aSuccessResetsTheCountOfConsecutiveFailures() {
        failAttempts(2);
        breaker.beforeAttempt();
        breaker.onSuccess();
        failAttempts(2);

        assertThat(breaker.state()).isEqualTo(CLOSED);
        assertThat(transitions).isEmpty();
    }

    @Test
    void letsNoAttemptThroughWhileOpenThenOneProbeThatClosesItOnSuccess() {
        failAttempts(3);
        advance(Duration.ofSeconds(4));
        assertThat(breaker.nanosUntilAttempt()).isEqualTo(Duration.ofSeconds(6).toNanos());
        assertThatThrownBy(breaker::beforeAttempt).isInstanceOf(IllegalStateException.class);

        advance(Duration.ofSeconds(6));
        assertThat(breaker.nanosUntilAttempt()).isZero();
        breaker.beforeAttempt();
        assertThat(breaker.state()).isEqualTo(HALF_OPEN);
        assertThat(breaker.state().code).isEqualTo(2);
        breaker.onSuccess();

        assertThat(breaker.state()).isEqualTo(CLOSED);
        assertThat(transitions).containsExactly("0->1 after 3", "1->2 after 3", "2->0 after 0");
    }

    @Test
    void aFailedProbeReopensItForAnotherCoolDown() {
        failAttempts(3);
        advance(Duration.ofSeconds(10));
        breaker.beforeAttempt();
        breaker.onFailure();

        assertThat(breaker.state()).isEqualTo(OPEN);
        assertThat(breaker.nanosUntilAttempt()).isEqualTo(Duration.ofSeconds(10).toNanos());
        advance(Duration.ofSeconds(10));
        breaker.beforeAttempt();
        breaker.onSuccess();
        assertThat(transitions)
                .containsExactly("0->1 after 3", "1->2 after 3", "2->1 after 4", "1->2 after 4", "2->0 after 0");
    }

    @Test
    void rejectsSettingsThatMakeNoSense() {
        assertThatThrownBy(() -> new BreakerSettings(0, Duration.ofSeconds(1)))
                .hasMessage("sink.breaker.failures must be at least 1, got 0");
        assertThatThrownBy(() -> new BreakerSettings(1, Duration.ZERO))
                .hasMessage("sink.breaker.cool-down must be at least 1ms, got PT0S");
    }
}
