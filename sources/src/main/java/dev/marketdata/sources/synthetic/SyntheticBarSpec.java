package dev.marketdata.sources.synthetic;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * What the synthetic provider generates: how many symbols, how many bars each, how fast, and how often a record
 * is deliberately invalid.
 *
 * @param symbols number of symbols, named {@code SYN0000}, {@code SYN0001}, ...
 * @param barsPerSymbol bars per symbol; 0 or less means unbounded
 * @param recordsPerSecond cap on records per second over all readers; 0 or less means no cap
 * @param invalidEvery every K-th record (counted time-major over all symbols, from 1) is invalid; 0 means none
 * @param seed seed of the random walk: the same seed gives the same bars
 * @param start start of the first bar; must be a whole minute
 */
public record SyntheticBarSpec(
        int symbols, long barsPerSymbol, double recordsPerSecond, long invalidEvery, long seed, Instant start)
        implements Serializable {

    /** The generated bars' timeframe. */
    public static final String TIMEFRAME = "1m";

    static final Duration BAR_LENGTH = Duration.ofMinutes(1);

    public SyntheticBarSpec {
        checkArgument(symbols > 0 && symbols <= 10_000, "symbols must be between 1 and 10000, got %s", symbols);
        checkArgument(invalidEvery >= 0, "invalid-every must be 0 (none) or positive, got %s", invalidEvery);
        checkNotNull(start, "start must be set");
        checkArgument(
                start.toEpochMilli() % BAR_LENGTH.toMillis() == 0,
                "start must be a whole minute, got %s",
                start);
    }

    public boolean bounded() {
        return barsPerSymbol > 0;
    }

    /** Total records the source emits, or -1 when unbounded. */
    public long totalRecords() {
        return bounded() ? barsPerSymbol * symbols : -1;
    }
}
