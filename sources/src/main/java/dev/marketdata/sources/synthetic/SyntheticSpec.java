package dev.marketdata.sources.synthetic;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * What the synthetic market generates: how many symbols, how many steps each (one step is one minute of market
 * time: one bar, one option-chain snapshot, ...), how fast, and how often a record is deliberately invalid.
 *
 * @param symbols number of symbols, named {@code SYN0000}, {@code SYN0001}, ...
 * @param stepsPerSymbol steps (minutes) per symbol, the same as bars per symbol; 0 or less means unbounded
 * @param recordsPerSecond cap on records per second over all readers of one data set; 0 or less means no cap
 * @param invalidEvery every K-th record position of a data set (counted time-major over all symbols, from 1) is
 *     invalid; 0 means none
 * @param seed seed of the random walk: the same seed gives the same records
 * @param start start of the first step; must be a whole minute
 */
public record SyntheticSpec(
        int symbols, long stepsPerSymbol, double recordsPerSecond, long invalidEvery, long seed, Instant start)
        implements Serializable {

    /** The generated bars' timeframe. */
    public static final String TIMEFRAME = "1m";

    /** Market time between two steps. */
    public static final Duration STEP = Duration.ofMinutes(1);

    private static final long STEP_SECONDS = STEP.getSeconds();

    public SyntheticSpec {
        checkArgument(symbols > 0 && symbols <= 10_000, "symbols must be between 1 and 10000, got %s", symbols);
        checkArgument(invalidEvery >= 0, "invalid-every must be 0 (none) or positive, got %s", invalidEvery);
        checkNotNull(start, "start must be set");
        checkArgument(start.toEpochMilli() % STEP.toMillis() == 0, "start must be a whole minute, got %s", start);
    }

    public boolean bounded() {
        return stepsPerSymbol > 0;
    }

    /** Start of step {@code step}. */
    public Instant timeOf(long step) {
        // Not STEP.multipliedBy(step): Duration multiplies through BigDecimal, a tenth of the source's CPU.
        return start.plusSeconds(STEP_SECONDS * step);
    }

    /**
     * Whether the record at {@code position} (from 1) of a data set's sequence is to be spoiled, and if so the
     * how-many-th spoiled one it is (from 1); 0 when it stays valid.
     */
    public long invalidOrdinal(long position) {
        return invalidEvery > 0 && position % invalidEvery == 0 ? position / invalidEvery : 0;
    }
}
