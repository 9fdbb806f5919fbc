package dev.marketdata.job.sink.config;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import java.io.Serializable;
import java.time.Duration;

/**
 * When a sink subtask's circuit breaker around the database opens and how long it stays open.
 *
 * @param failures consecutive failed attempts that open the breaker
 * @param coolDown how long it stays open before a probe may go through
 */
public record BreakerSettings(int failures, Duration coolDown) implements Serializable {

    public static final BreakerSettings DEFAULT = new BreakerSettings(5, Duration.ofSeconds(10));

    public BreakerSettings {
        checkArgument(failures >= 1, "sink.breaker.failures must be at least 1, got %s", failures);
        checkNotNull(coolDown, "sink.breaker.cool-down must be set");
        checkArgument(coolDown.toMillis() >= 1, "sink.breaker.cool-down must be at least 1ms, got %s", coolDown);
    }
}
