package dev.marketdata.sources.provider.polygon;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Polygon's (Massive's) stocks stream, providers.md section 1.2: every server frame is a JSON array of events with
 * an {@code ev}; the server greets with status {@code connected}, the client sends
 * {@code {"action":"auth","params":KEY}}, then on {@code auth_success}
 * {@code {"action":"subscribe","params":"AM.AAPL,AM.MSFT"}}, acknowledged by one status {@code success}
 * ({@code subscribed to: AM.AAPL}) per parameter. Minute aggregates {@code AM}: {@code sym}, {@code s} (start, Unix
 * ms), {@code o h l c v}, optional {@code vw}; no trade count. Statuses by their code: {@code auth_failed} fails the
 * job, {@code max_connections} (another connection with the key took over) backs off. Polygon sends no slow-client
 * message: it closes a lagging connection, which the source reconnects and repairs. Gap repair uses
 * {@link PolygonProtocol} (aggregates of the same SIP feed).
 */
public final class PolygonLiveProtocol implements LiveProtocol {

    private static final long serialVersionUID = 1L;

    /** The real-time stocks stream ({@code --polygon-ws-url}'s default). */
    public static final String DEFAULT_URL = "wss://socket.massive.com/stocks";

    private final PolygonProtocol rest = new PolygonProtocol();

    @Override
    public Provider provider() {
        return Provider.POLYGON;
    }

    @Override
    public BarsProtocol rest() {
        return rest;
    }

    @Override
    public LiveSession session(List<LiveTicker> tickers, String timeframe, Credentials credentials) {
        return new Session(tickers, credentials);
    }

    /** One connection's handshake state. */
    private static final class Session implements LiveSession {
        private final Set<String> tickers;
        private final Credentials credentials;
        private final Set<String> acknowledged = new LinkedHashSet<>();
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
            for (JsonNode event : array.get()) {
                String ev = event.path("ev").asText("");
                switch (ev) {
                    case "status" -> status(event, events, replies);
                    case "AM" -> events.add(bar(event));
                    case "" ->
                        events.add(new LiveEvent.Malformed(
                                null, event.toString(), RejectedItem.MISSING_FIELD, "a stream event without ev"));
                    default -> {
                        // Other channels are not subscribed; nothing to do.
                    }
                }
            }
            return new LiveFrame(events, replies);
        }

        private void status(JsonNode event, List<LiveEvent> events, List<String> replies) {
            String status = event.path("status").asText("");
            String message = event.path("message").asText("");
            switch (status) {
                case "connected" -> replies.add(LiveJson.object("action", "auth", "params", credentials.secret()));
                case "auth_success" ->
                    replies.add(LiveJson.object(
                            "action",
                            "subscribe",
                            "params",
                            tickers.stream().map(t -> "AM." + t).collect(Collectors.joining(","))));
                case "auth_failed" -> events.add(new LiveEvent.Control(ControlKind.AUTH_FAILED, status, message));
                case "max_connections" ->
                    events.add(new LiveEvent.Control(ControlKind.CONNECTION_LIMIT, status, message));
                case "success" -> {
                    // "subscribed to: AM.AAPL": the parameter after the colon is the acknowledgement's only datum.
                    int colon = message.indexOf(':');
                    if (message.startsWith("subscribed to") && colon > 0) {
                        String param = message.substring(colon + 1).trim();
                        if (param.startsWith("AM.")) {
                            // Split at the first dot only: AM.BRK.B is BRK.B.
                            acknowledged.add(param.substring(3));
                        }
                    }
                    if (!subscribed && acknowledged.containsAll(tickers)) {
                        subscribed = true;
                        events.add(new LiveEvent.Subscribed(
                                tickers.stream().map(t -> "AM." + t).collect(Collectors.joining(","))));
                    }
                }
                case "auth_timeout", "error" -> events.add(new LiveEvent.Control(ControlKind.ERROR, status, message));
                default -> {
                    // Informational statuses.
                }
            }
        }

        private LiveEvent bar(JsonNode event) {
            String symbol = event.path("sym").isTextual() ? event.get("sym").asText() : null;
            try {
                String sym = LiveJson.text(event, "sym");
                if (!tickers.contains(sym)) {
                    return new LiveEvent.Malformed(
                            sym,
                            event.toString(),
                            RejectedItem.UNKNOWN_TICKER,
                            "a bar of " + sym + ", which this stream did not subscribe to");
                }
                Bar bar = new Bar(
                        sym,
                        "1m",
                        Instant.ofEpochMilli(LiveJson.integer(event, "s")),
                        LiveJson.number(event, "o"),
                        LiveJson.number(event, "h"),
                        LiveJson.number(event, "l"),
                        LiveJson.number(event, "c"),
                        LiveJson.number(event, "v"),
                        LiveJson.optionalNumber(event, "vw"),
                        null,
                        Provider.POLYGON.id());
                return new LiveEvent.BarEvent(bar, false);
            } catch (LiveJson.BadEvent bad) {
                return new LiveEvent.Malformed(symbol, event.toString(), bad.reason(), bad.getMessage());
            }
        }
    }
}
