package dev.marketdata.sources.provider.live;

import dev.marketdata.sources.provider.BarsProtocol;
import dev.marketdata.sources.provider.Credentials;
import dev.marketdata.sources.provider.Provider;
import java.io.Serializable;
import java.util.List;

/**
 * The wire protocol of one provider's live bars, and nothing else: what to send on a connection and what its frames
 * mean. Pure and serializable, like {@link BarsProtocol}; the {@link LiveSource} does the socket, the buffer, the
 * reconnects, the watchdog and the gap repair, the same for every provider. Facts from providers.md.
 */
public interface LiveProtocol extends Serializable {

    Provider provider();

    /** The provider's REST bars, for lookups and gap repair: the same feed as the stream. */
    BarsProtocol rest();

    /**
     * Whether the stream carries bars of {@code timeframe}. Every provider's stream here carries minute bars only
     * (Polygon {@code AM}, Alpaca {@code bars}, IBKR one-minute streaming history; providers.md).
     */
    default boolean supports(String timeframe) {
        return "1m".equals(timeframe);
    }

    /**
     * A new session for one connection.
     *
     * @param credentials put into the frames the session sends (never into a URL, a log line or a message)
     */
    LiveSession session(List<LiveTicker> tickers, String timeframe, Credentials credentials);
}
