package dev.marketdata.job.sink.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final RetryPolicy POLICY =
            new RetryPolicy(Duration.ofMinutes(2), Duration.ofMillis(100), Duration.ofSeconds(5));

    private static long millis(int retry, double random) {
        return Duration.ofNanos(POLICY.backoffNanos(retry, random)).toMillis();
    }

    @Test
    void doublesFromTheInitialBackoffUpToTheMaximum() {
        // random = 1 (just under): the full backoff
        assertThat(new long[] {
                    millis(1, 1), millis(2, 1), millis(3, 1), millis(4, 1), millis(6, 1), millis(7, 1), millis(100, 1)
                })
                .containsExactly(100, 200, 400, 800, 3200, 5000, 5000);
    }

    @Test
    void halfOfEachBackoffIsRandom() {
        assertThat(millis(1, 0)).isEqualTo(50);
        assertThat(millis(1, 0.5)).isEqualTo(75);
        assertThat(millis(4, 0)).isEqualTo(400);
        assertThat(millis(10, 0)).isEqualTo(2500);
        assertThat(millis(10, 0.999999)).isEqualTo(4999);
    }

    @Test
    void rejectsSettingsThatMakeNoSense() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(-1), Duration.ofMillis(1), Duration.ofMillis(1)))
                .hasMessageContaining("sink.retry.budget");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), Duration.ZERO, Duration.ofMillis(1)))
                .hasMessageContaining("sink.retry.initial-backoff");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("sink.retry.max-backoff (PT1S) must not be below sink.retry.initial-backoff (PT2S)");
        assertThatThrownBy(() -> POLICY.backoffNanos(0, 0.5)).hasMessageContaining("retries count from 1");
    }
}
