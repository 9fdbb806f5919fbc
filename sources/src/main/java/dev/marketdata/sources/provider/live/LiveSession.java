package dev.marketdata.sources.provider.live;

import java.util.List;

/**
 * The protocol state of one connection to a provider's stream: greeting, authentication, subscription and their
 * acknowledgements, heartbeats and renewals. Made afresh for every connection by {@link LiveProtocol#session};
 * called on one thread at a time, in frame order. No I/O: it returns the frames to send.
 */
public interface LiveSession {

    /** Text frames to send as soon as the socket is open (empty when the provider greets first). */
    List<String> onOpen();

    /** Reads one text frame (a JSON array of events, or a provider's own framing). Never throws. */
    LiveFrame read(String frame);

    /** Text frames to send at every heartbeat besides the WebSocket ping (IBKR's {@code tic}); default none. */
    default List<String> heartbeat() {
        return List.of();
    }

    /**
     * Text frames that renew the subscriptions before the provider lets them lapse silently (IBKR ends market-data
     * subscriptions after 10 minutes); sent every renewal interval once subscribed. Default none.
     */
    default List<String> renewal() {
        return List.of();
    }
}
