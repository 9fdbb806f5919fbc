package dev.marketdata.sources.synthetic;

/** The ways the synthetic provider spoils a fundamentals record to exercise validation and the dead-letter queue. */
public enum FundamentalsCorruption {
    /** Period start and end swapped. */
    PERIOD_END_BEFORE_START,
    /** Fiscal period {@code Q5}. */
    UNKNOWN_PERIOD,
    /** Filed ten days before the period ended. */
    FILED_BEFORE_PERIOD_END,
    /** Revenue negated. */
    NEGATIVE_REVENUE,
    /** Currency {@code US$}, which is no ISO 4217 code. */
    UNKNOWN_CURRENCY;

    private static final FundamentalsCorruption[] ALL = values();

    /** The corruption applied to the {@code n}-th invalid record (from 1): the kinds take turns. */
    public static FundamentalsCorruption forInvalidRecord(long n) {
        return ALL[(int) ((n - 1) % ALL.length)];
    }
}
