package dev.marketdata.sources.synthetic;

/** The ways the synthetic provider spoils a news article to exercise validation and the dead-letter queue. */
public enum NewsCorruption {
    /** The headline replaced by spaces. */
    BLANK_HEADLINE,
    /** The URL replaced by text that is no absolute http(s) URL. */
    MALFORMED_URL,
    /** No symbols. */
    NO_SYMBOLS,
    /** The id given a line break, a control character. (An odd symbol is no fault: symbols are tags, kept as sent.) */
    MALFORMED_ID,
    /** Sentiment 1.5, outside [-1, 1]. */
    SENTIMENT_OUT_OF_RANGE;

    private static final NewsCorruption[] ALL = values();

    /** The corruption applied to the {@code n}-th invalid record (from 1): the kinds take turns. */
    public static NewsCorruption forInvalidRecord(long n) {
        return ALL[(int) ((n - 1) % ALL.length)];
    }
}
