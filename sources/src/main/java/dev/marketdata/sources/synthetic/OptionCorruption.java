package dev.marketdata.sources.synthetic;

/** The ways the synthetic provider spoils an option quote to exercise validation and the dead-letter queue. */
public enum OptionCorruption {
    /** The bid raised 0.05 above the ask. */
    BID_ABOVE_ASK,
    /** The strike negated (the contract symbol keeps the real one). */
    NEGATIVE_STRIKE,
    /** The contract symbol lower-cased, so it is no OCC symbol. */
    MALFORMED_CONTRACT,
    /** Expiration (and contract symbol) moved to three days before the quote. */
    EXPIRED,
    /** Delta pushed out of [-1, 1]. */
    DELTA_OUT_OF_RANGE;

    private static final OptionCorruption[] ALL = values();

    /** The corruption applied to the {@code n}-th invalid record (from 1): the kinds take turns. */
    public static OptionCorruption forInvalidRecord(long n) {
        return ALL[(int) ((n - 1) % ALL.length)];
    }
}
