package dev.marketdata.job.core;

/** Where records come from. */
public enum SourceKind {
    SYNTHETIC,
    KAFKA,
    POLYGON,
    ALPACA,
    IBKR;

    /** Whether this is a provider's historical REST source (a bounded backfill). */
    public boolean isProvider() {
        return this == POLYGON || this == ALPACA || this == IBKR;
    }
}
