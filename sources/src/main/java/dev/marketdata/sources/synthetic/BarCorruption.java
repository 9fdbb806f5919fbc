package dev.marketdata.sources.synthetic;

/** The ways the synthetic provider spoils a record to exercise validation and the dead-letter queue. */
public enum BarCorruption {
    /** High and low swapped, so the high is below the low. */
    HIGH_BELOW_LOW,
    /** The open price negated. */
    NEGATIVE_PRICE,
    /** The volume negated. */
    NEGATIVE_VOLUME,
    /** The bar start moved 7 seconds off the minute. */
    MISALIGNED_START,
    /** The symbol lower-cased and given a space. */
    MALFORMED_SYMBOL;

    private static final BarCorruption[] ALL = values();

    /** The corruption applied to the {@code n}-th invalid record (from 1): the kinds take turns. */
    public static BarCorruption forInvalidRecord(long n) {
        return ALL[(int) ((n - 1) % ALL.length)];
    }
}
