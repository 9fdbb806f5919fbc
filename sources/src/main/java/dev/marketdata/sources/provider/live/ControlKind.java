package dev.marketdata.sources.provider.live;

/** What a provider's control message means for the stream, read from its code (never from its prose). */
public enum ControlKind {
    /** The credentials were refused: the job fails with one line. */
    AUTH_FAILED,
    /** The plan does not cover the feed or the data: the job fails with the provider's message. */
    INSUFFICIENT_SUBSCRIPTION,
    /** The account's connection limit: back off (past Alpaca's ~90 s for a dropped socket), then connect again. */
    CONNECTION_LIMIT,
    /** The provider says the reader is too slow: reconnect and repair the gap. */
    SLOW_CLIENT,
    /** Any other error the provider reports on the socket: reconnect with backoff. */
    ERROR
}
