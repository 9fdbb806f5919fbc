package dev.marketdata.sources.provider.ibkr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.sources.provider.BarsProtocol;
import dev.marketdata.sources.provider.Credentials;
import dev.marketdata.sources.provider.Provider;
import dev.marketdata.sources.provider.RejectedItem;
import dev.marketdata.sources.provider.live.ControlKind;
import dev.marketdata.sources.provider.live.LiveEvent;
import dev.marketdata.sources.provider.live.LiveFrame;
import dev.marketdata.sources.provider.live.LiveJson;
import dev.marketdata.sources.provider.live.LiveProtocol;
import dev.marketdata.sources.provider.live.LiveSession;
import dev.marketdata.sources.provider.live.LiveTicker;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The IBKR Client Portal gateway's WebSocket, providers.md section 3.1, streaming history of 1-minute bars:
 * after {@code {"topic":"sts","args":{"authenticated":true}}} the client sends one
 * {@code smh+<conid>+{"period":"1d","bar":"1min","outsideRth":true,"source":"trades","format":"%o/%c/%h/%l/%v"}} per
 * ticker (at most {@link #MAX_TICKERS} at once, the gateway's limit); each {@code smh+<conid>} message carries
 * {@code data} items {@code {o,c,h,l,v,t}} ({@code t} epoch ms of the bar start) read exactly as the history
 * endpoint's, volume times {@code volumeFactor}. The first message of every subscription acknowledges it. The
 * gateway lets market-data subscriptions end after 10 minutes without a word (changelog 2026-04-14; 15 minutes per
 * IBKR support): {@link LiveSession#renewal()} sends the subscriptions again, every {@code --live.renewal} (8 min by
 * default), and the data watchdog catches one that lapsed anyway. {@code tic} is sent at every heartbeat to keep the
 * session alive. {@code sts} with {@code authenticated:false} (the brokerage session is gone) fails the job: a person
 * must log in through the gateway's page. Gap repair uses {@link IbkrBarsProtocol} (the history endpoint).
 */
public final class IbkrLiveProtocol implements LiveProtocol {

    private static final long serialVersionUID = 1L;

    /** Streaming-history subscriptions the gateway serves at once. */
    public static final int MAX_TICKERS = 5;

    /** The gateway's WebSocket ({@code --ibkr-ws-url}'s default). */
    public static final String DEFAULT_URL = "wss://localhost:5000/v1/api/ws";

    private static final String SMH_ARGS =
            "{\"period\":\"1d\",\"bar\":\"1min\",\"outsideRth\":true,\"source\":\"trades\",\"format\":\"%o/%c/%h/%l/%v\"}";

    private final IbkrBarsProtocol rest;

    public IbkrLiveProtocol(IbkrBarsProtocol rest) {
        this.rest = rest;
    }

    @Override
    public Provider provider() {
        return Provider.IBKR;
    }

    @Override
    public BarsProtocol rest() {
        return rest;
    }

    @Override
    public LiveSession session(List<LiveTicker> tickers, String timeframe, Credentials credentials) {
        if (tickers.size() > MAX_TICKERS) {
            throw new IllegalArgumentException("ibkr streams at most " + MAX_TICKERS + " tickers at once (the "
                    + "gateway's limit of streaming-history subscriptions), got " + tickers.size());
        }
        return new Session(tickers);
    }

    /** The subscription frame of one contract. */
    public static String subscription(String conid) {
        return "smh+" + conid + "+" + SMH_ARGS;
    }

    private static final class Session implements LiveSession {
        /** conid to ticker. */
        private final Map<String, String> tickers = new LinkedHashMap<>();

        private final Set<String> acknowledged = new LinkedHashSet<>();
        private boolean subscribing;
        private boolean subscribed;

        Session(List<LiveTicker> tickers) {
            tickers.forEach(t -> this.tickers.put(t.providerId(), t.ticker()));
        }

        @Override
        public List<String> onOpen() {
            return List.of();
        }

        @Override
        public List<String> heartbeat() {
            return List.of("tic");
        }

        @Override
        public List<String> renewal() {
            return subscriptions();
        }

        private List<String> subscriptions() {
            return tickers.keySet().stream().map(IbkrLiveProtocol::subscription).toList();
        }

        @Override
        public LiveFrame read(String frame) {
            Optional<JsonNode> tree = LiveJson.tree(frame);
            if (tree.isEmpty() || !tree.get().isObject()) {
                return LiveFrame.of(List.of(new LiveEvent.Malformed(
                        null, frame, RejectedItem.MALFORMED_BODY, "a gateway message that is not a JSON object")));
            }
            JsonNode message = tree.get();
            String topic = message.path("topic").asText("");
            List<LiveEvent> events = new ArrayList<>();
            List<String> replies = new ArrayList<>();
            if (topic.equals("sts")) {
                JsonNode authenticated = message.path("args").path("authenticated");
                if (authenticated.isBoolean() && !authenticated.asBoolean()) {
                    events.add(new LiveEvent.Control(
                            ControlKind.AUTH_FAILED,
                            "sts",
                            "the gateway's brokerage session is not authenticated: log in through the gateway's page"));
                } else if (authenticated.asBoolean(false) && !subscribing) {
                    subscribing = true;
                    replies.addAll(subscriptions());
                }
            } else if (topic.startsWith("smh+")) {
                String conid = topic.substring(4);
                String ticker = tickers.get(conid);
                if (ticker == null) {
                    events.add(new LiveEvent.Malformed(
                            null,
                            frame,
                            RejectedItem.UNKNOWN_TICKER,
                            "streaming history of conid " + conid + ", which this stream did not subscribe to"));
                } else {
                    bars(ticker, message, events);
                    acknowledged.add(conid);
                    if (!subscribed && acknowledged.containsAll(tickers.keySet())) {
                        subscribed = true;
                        events.add(
                                new LiveEvent.Subscribed("streaming history of " + String.join(",", tickers.values())));
                    }
                }
            } else if (topic.equals("error")) {
                events.add(new LiveEvent.Control(ControlKind.ERROR, "error", message.toString()));
            }
            // system (hb), tic, act, ntf, blt: nothing to do.
            return new LiveFrame(events, replies);
        }

        private static void bars(String ticker, JsonNode message, List<LiveEvent> events) {
            JsonNode data = message.get("data");
            if (data == null || data.isNull()) {
                return;
            }
            if (!data.isArray()) {
                events.add(new LiveEvent.Malformed(
                        ticker, message.toString(), RejectedItem.WRONG_TYPE, "data is not an array"));
                return;
            }
            BigDecimal factor = message.path("volumeFactor").isNumber()
                            && message.get("volumeFactor").decimalValue().signum() > 0
                    ? message.get("volumeFactor").decimalValue()
                    : BigDecimal.ONE;
            for (JsonNode item : data) {
                try {
                    events.add(new LiveEvent.BarEvent(IbkrHistoryBody.streamBar(ticker, factor, item), false));
                } catch (LiveJson.BadEvent bad) {
                    events.add(new LiveEvent.Malformed(ticker, item.toString(), bad.reason(), bad.getMessage()));
                }
            }
        }
    }
}
