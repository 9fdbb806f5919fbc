package dev.marketdata.sources.provider;

/** What a provider's instrument lookup said about one ticker. */
public sealed interface TickerLookup {

    String ticker();

    /**
     * The provider knows the ticker.
     *
     * @param providerId the id its bars requests take: IBKR's conid; Polygon and Alpaca the ticker itself
     */
    record Known(String ticker, String providerId) implements TickerLookup {}

    /**
     * The provider does not know the ticker (Polygon and Alpaca answer bars requests for it with an empty 200):
     * its bars are not requested; it is dead-lettered with {@code reason}.
     *
     * @param reason why, for the dead letter, e.g. {@code "polygon has no ticker XYZ (count 0)"}
     */
    record Unknown(String ticker, String reason) implements TickerLookup {}
}
