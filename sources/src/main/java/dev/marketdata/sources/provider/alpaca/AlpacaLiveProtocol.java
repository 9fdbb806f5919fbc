package dev.marketdata.sources.provider.alpaca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marketdata.sources.model.Bar;
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
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Alpaca's stock stream, providers.md section 2.2: frames are JSON arrays of {@code T}-typed messages; the server
 * greets with {@code success/connected}, the client authenticates with {@code {"action":"auth","key","secret"}}
 * and, on {@code success/authenticated}, subscribes to {@code bars} and {@code updatedBars}; the
 * {@code subscription} reply carries the full current set. Bars {@code b} and updated bars {@code u} (a late
 * correction with the same {@code t}, which replaces the stored bar) are read exactly as REST bars are. Errors by
 * their {@code code}: 402 auth failed (the job fails); 406 connection limit (one connection per account, and an
 * uncleanly dropped one still counts for about 90 s: back off); 407 slow client (reconnect and repair); 405, 408,
 * 409, 410, 411 (symbol limit, v2 not enabled, insufficient subscription, invalid action for the feed, insufficient
 * scope: the job fails with Alpaca's message); others reconnect. Gap repair asks REST for the stream's feed, the last
 * segment of the stream's URL ({@code /v2/iex}).
 */
public final class AlpacaLiveProtocol implements LiveProtocol {

    private static final long serialVersionUID = 1L;

    /** The IEX stream, {@code --alpaca-ws-url}'s default. */
    public static final String DEFAULT_URL = "wss://stream.data.alpaca.markets/v2/iex";

    private final AlpacaBarsProtocol rest;

    /** @param rest the REST protocol of the stream's feed */
    public AlpacaLiveProtocol(AlpacaBarsProtocol rest) {
        this.rest = rest;
    }

    /**
     * The feed a stream URL names ({@code iex} of {@code wss://.../v2/iex}), or empty when its last path segment is
     * not one REST serves.
     */
    public static Optional<String> feedOf(String streamUrl) {
        String path = URI.create(streamUrl).getPath();
        String last = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        return AlpacaBarsProtocol.FEEDS.contains(last) ? Optional.of(last) : Optional.empty();
    }

    @Override
    public Provider provider() {
        return Provider.ALPACA;
    }

    @Override
    public BarsProtocol rest() {
        return rest;
    }

    @Override
    public LiveSession session(List<LiveTicker> tickers, String timeframe, Credentials credentials) {
        return new Session(tickers, credentials);
    }

    private static final class Session implements LiveSession {
        private final Set<String> tickers;
        private final Credentials credentials;
        private boolean subscribed;

        Session(List<LiveTicker> tickers, Credentials credentials) {
            this.tickers =
                    tickers.stream().map(LiveTicker::ticker).collect(Collectors.toCollection(LinkedHashSet::new));
            this.credentials = credentials;
        }

        @Override
        public List<String> onOpen() {
            return List.of();
        }

        @Override
        public LiveFrame read(String frame) {
            Optional<JsonNode> array = LiveJson.array(frame);
            if (array.isEmpty()) {
                return LiveFrame.of(List.of(LiveJson.notAnArray(frame)));
            }
            List<LiveEvent> events = new ArrayList<>();
            List<String> replies = new ArrayList<>();
            for (JsonNode message : array.get()) {
                String type = message.path("T").asText("");
                switch (type) {
                    case "success" -> {
                        String msg = message.path("msg").asText("");
                        if (msg.equals("connected")) {
                            replies.add(auth());
                        } else if (msg.equals("authenticated")) {
                            replies.add(subscribe());
                        }
                    }
                    case "subscription" -> {
                        if (!subscribed
                                && covers(message.get("bars"))
                                && (message.get("updatedBars") == null || covers(message.get("updatedBars")))) {
                            subscribed = true;
                            events.add(
                                    new LiveEvent.Subscribed("bars and updatedBars of " + String.join(",", tickers)));
                        }
                    }
                    case "error" -> events.add(error(message));
                    case "b", "u" -> events.add(bar(message, type.equals("u")));
                    case "" ->
                        events.add(new LiveEvent.Malformed(
                                null, message.toString(), RejectedItem.MISSING_FIELD, "a stream message without T"));
                    default -> {
                        // Trades, quotes, daily bars, statuses: not subscribed.
                    }
                }
            }
            return new LiveFrame(events, replies);
        }

        private boolean covers(JsonNode list) {
            if (list == null || !list.isArray()) {
                return false;
            }
            Set<String> listed = new HashSet<>();
            list.forEach(s -> listed.add(s.asText()));
            return listed.contains("*") || listed.containsAll(tickers);
        }

        private String auth() {
            return LiveJson.object(
                    "action", "auth", "key", credentials.keyId().orElse(""), "secret", credentials.secret());
        }

        private String subscribe() {
            ObjectNode node = LiveJson.objectNode();
            node.put("action", "subscribe");
            ArrayNode bars = node.putArray("bars");
            ArrayNode updated = node.putArray("updatedBars");
            tickers.forEach(bars::add);
            tickers.forEach(updated::add);
            return node.toString();
        }

        private static LiveEvent error(JsonNode message) {
            int code = message.path("code").asInt(-1);
            String msg = message.path("msg").asText("");
            ControlKind kind =
                    switch (code) {
                        case 402 -> ControlKind.AUTH_FAILED;
                        case 406 -> ControlKind.CONNECTION_LIMIT;
                        case 407 -> ControlKind.SLOW_CLIENT;
                        case 405, 408, 409, 410, 411 -> ControlKind.INSUFFICIENT_SUBSCRIPTION;
                        default -> ControlKind.ERROR;
                    };
            return new LiveEvent.Control(kind, String.valueOf(code), msg);
        }

        private LiveEvent bar(JsonNode message, boolean updated) {
            String symbol = message.path("S").isTextual() ? message.get("S").asText() : null;
            try {
                String sym = LiveJson.text(message, "S");
                if (!tickers.contains(sym)) {
                    return new LiveEvent.Malformed(
                            sym,
                            message.toString(),
                            RejectedItem.UNKNOWN_TICKER,
                            "a bar of " + sym + ", which this stream did not subscribe to");
                }
                Bar bar = AlpacaBarsBody.streamBar(sym, message);
                return new LiveEvent.BarEvent(bar, updated);
            } catch (LiveJson.BadEvent bad) {
                return new LiveEvent.Malformed(symbol, message.toString(), bad.reason(), bad.getMessage());
            }
        }
    }
}
