package dev.marketdata.sources.provider.alpaca;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.BarsPage;
import dev.marketdata.sources.provider.PayloadException;
import dev.marketdata.sources.provider.RejectedItem;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the 200 body of Alpaca's stock bars endpoints into {@link Bar}s, per-item rejects and the next page token.
 *
 * <p>Both shapes are read: the single-symbol {@code {"bars":[...],"symbol":"AAPL","next_page_token":...}} and the
 * multi-symbol {@code {"bars":{"AAPL":[...]},"next_page_token":...}}. {@code bars} absent, {@code null}, {@code []}
 * or {@code {}} means no bars. Each bar needs {@code t} (RFC 3339, the bar start), {@code o}, {@code h}, {@code l},
 * {@code c} and {@code v} (numbers, any notation, volume may be fractional); {@code n} (an integer) and {@code vw}
 * are optional and become null when absent, never invented. Bars are kept exactly as stamped: daily bars at New York
 * midnight ({@code T04:00:00Z} in EDT, {@code T05:00:00Z} in EST) stay there. Source: Alpaca Market Data API v2
 * docs, {@code /work/shared/providers.md} section 2.1.
 */
final class AlpacaBarsBody {

    private AlpacaBarsBody() {}

    /**
     * @param alpacaSymbol the symbol the request asked Alpaca for; bars for any other symbol are rejected
     * @param symbol our symbol, copied into each {@link Bar}
     * @param timeframe our timeframe, copied into each {@link Bar}
     * @param root the parsed body
     * @throws PayloadException when {@code root} is not a bars answer
     */
    static BarsPage read(String alpacaSymbol, String symbol, String timeframe, JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new PayloadException("Alpaca bars answer: body is not a JSON object");
        }
        JsonNode answeredSymbol = root.get("symbol");
        if (answeredSymbol != null && !answeredSymbol.isNull() && !alpacaSymbol.equals(answeredSymbol.asText())) {
            throw new PayloadException("Alpaca bars answer is for symbol '" + answeredSymbol.asText()
                    + "', not the requested '" + alpacaSymbol + "'");
        }
        List<Bar> bars = new ArrayList<>();
        List<RejectedItem> rejects = new ArrayList<>();
        JsonNode items = root.get("bars");
        if (items == null || items.isNull()) {
            // No bars for the range: not an error (an unknown symbol answers the same way; the lookup catches it).
        } else if (items.isArray()) {
            readItems(symbol, timeframe, items, bars, rejects);
        } else if (items.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = items.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                JsonNode value = entry.getValue();
                if (!alpacaSymbol.equals(entry.getKey())) {
                    rejects.add(new RejectedItem(
                            value.toString(),
                            AlpacaBarsProtocol.UNEXPECTED_SYMBOL,
                            "bars for symbol '" + entry.getKey() + "', not the requested '" + alpacaSymbol + "'"));
                } else if (value.isArray()) {
                    readItems(symbol, timeframe, value, bars, rejects);
                } else if (!value.isNull()) {
                    throw new PayloadException("Alpaca bars answer: bars." + entry.getKey() + " is not an array");
                }
            }
        } else {
            throw new PayloadException("Alpaca bars answer: 'bars' is neither an array nor an object");
        }
        return new BarsPage(bars, rejects, nextPageToken(root));
    }

    private static Optional<String> nextPageToken(JsonNode root) {
        JsonNode token = root.get("next_page_token");
        if (token == null || token.isNull()) {
            return Optional.empty();
        }
        if (!token.isTextual()) {
            throw new PayloadException("Alpaca bars answer: 'next_page_token' is not a string");
        }
        return token.asText().isEmpty() ? Optional.empty() : Optional.of(token.asText());
    }

    private static void readItems(
            String symbol, String timeframe, JsonNode items, List<Bar> bars, List<RejectedItem> rejects) {
        for (JsonNode item : items) {
            try {
                bars.add(bar(symbol, timeframe, item));
            } catch (ItemException e) {
                rejects.add(new RejectedItem(item.toString(), e.reason, e.getMessage()));
            }
        }
    }

    /**
     * A bar of the stream ({@code b} or {@code u}), read exactly as a REST bar is, so the two ways of one bar compare
     * equal.
     *
     * @throws dev.marketdata.sources.provider.live.LiveJson.BadEvent naming the reason when it is not a bar
     */
    static Bar streamBar(String symbol, JsonNode item) {
        try {
            return bar(symbol, "1m", item);
        } catch (ItemException e) {
            throw new dev.marketdata.sources.provider.live.LiveJson.BadEvent(e.reason, e.getMessage());
        }
    }

    private static Bar bar(String symbol, String timeframe, JsonNode item) throws ItemException {
        if (!item.isObject()) {
            throw new ItemException(RejectedItem.WRONG_TYPE, "bar is not a JSON object");
        }
        JsonNode t = item.get("t");
        if (t == null || t.isNull()) {
            throw new ItemException(RejectedItem.MISSING_FIELD, "field 't' is missing");
        }
        if (!t.isTextual()) {
            throw new ItemException(RejectedItem.WRONG_TYPE, "field 't' is not a string");
        }
        Instant ts;
        try {
            ts = AlpacaTime.parse(t.asText());
        } catch (DateTimeParseException e) {
            throw new ItemException(RejectedItem.WRONG_TYPE, "field 't' is not an RFC 3339 time: '" + t.asText() + "'");
        }
        Long trades = null;
        JsonNode n = item.get("n");
        if (n != null && !n.isNull()) {
            if (!n.isNumber() || !n.canConvertToExactIntegral() || !n.canConvertToLong()) {
                throw new ItemException(RejectedItem.WRONG_TYPE, "field 'n' is not an integer: " + n);
            }
            trades = n.longValue();
        }
        return new Bar(
                symbol,
                timeframe,
                ts,
                number(item, "o"),
                number(item, "h"),
                number(item, "l"),
                number(item, "c"),
                number(item, "v"),
                optionalNumber(item, "vw"),
                trades,
                AlpacaBarsProtocol.PROVIDER.id());
    }

    private static double number(JsonNode item, String field) throws ItemException {
        Double value = optionalNumber(item, field);
        if (value == null) {
            throw new ItemException(RejectedItem.MISSING_FIELD, "field '" + field + "' is missing");
        }
        return value;
    }

    private static Double optionalNumber(JsonNode item, String field) throws ItemException {
        JsonNode node = item.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw new ItemException(RejectedItem.WRONG_TYPE, "field '" + field + "' is not a number: " + node);
        }
        double value = node.doubleValue();
        if (!Double.isFinite(value)) {
            throw new ItemException(RejectedItem.WRONG_TYPE, "field '" + field + "' is out of range: " + node);
        }
        return value;
    }

    private static final class ItemException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String reason;

        ItemException(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
