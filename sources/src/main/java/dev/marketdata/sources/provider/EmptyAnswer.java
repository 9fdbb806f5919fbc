package dev.marketdata.sources.provider;

/** What a bars response with no bars at all means for a provider. */
public enum EmptyAnswer {
    /**
     * Believed only after retries when the window holds a New York trading day's session (Polygon's transient
     * {@code results: null}, polygon-io/issues#2): a known ticker has bars on a trading day.
     */
    SUSPECT_ON_TRADING_DAY,
    /** No bars in the window, believed at once. */
    NO_DATA
}
