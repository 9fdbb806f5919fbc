package dev.marketdata.sources.provider.ibkr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.PayloadException;
import dev.marketdata.sources.provider.RejectedItem;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the 200 body of {@code GET /iserver/marketdata/history} into the {@link Bar}s of one {@link IbkrWindow}.
 *
 * <p>Each {@code data[]} item has {@code t} (epoch milliseconds of the bar start), {@code o}, {@code h}, {@code l},
 * {@code c} and {@code v}. Volume is {@code v × volumeFactor} (factor 1 when absent), multiplied exactly in decimal.
 * Prices are <em>not</em> divided by {@code priceFactor}: in IBKR's own example ({@code "priceFactor":100},
 * {@code "high":"17510/472117.45/0"}, {@code data[0].h 175.1}) only the {@code high}/{@code low} summary strings
 * carry the factor; the bars carry the price itself. The endpoint gives no VWAP or trade count: both stay null.
 * {@code data} absent, {@code null} or empty means no bars. Source: IBKR Client Portal Web API docs,
 * {@code /work/shared/providers.md} 3.1.
 */
final class IbkrHistoryBody {

    /**
     * What one answer means for its window.
     *
     * @param bars the bars inside the window
     * @param rejects items that are not bars (an item whose readable {@code t} is outside the window is left to
     *     that window)
     * @param askBackward the window was asked forward and the answer may have counted back (no bar after the
     *     window start): ask the same window backward
     */
    record Page(List<Bar> bars, List<RejectedItem> rejects, Optional<IbkrWindow> askBackward) {}

    private IbkrHistoryBody() {}

    /**
     * @param symbol our symbol, copied into each {@link Bar}
     * @param timeframe our timeframe, copied into each {@link Bar}
     * @param window the window that was asked
     * @param root the parsed body, an object without an {@code error} field
     * @throws PayloadException when {@code root} is not a history answer
     */
    static Page read(String symbol, String timeframe, IbkrWindow window, JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new PayloadException("IBKR history answer is not a JSON object");
        }
        BigDecimal volumeFactor = BigDecimal.ONE;
        JsonNode factor = root.get("volumeFactor");
        if (factor != null && !factor.isNull()) {
            if (!factor.isNumber() || factor.decimalValue().signum() <= 0) {
                throw new PayloadException("IBKR history 'volumeFactor' is not a positive number: " + factor);
            }
            volumeFactor = factor.decimalValue();
        }
        JsonNode data = root.get("data");
        if (data != null && !data.isNull() && !data.isArray()) {
            throw new PayloadException("IBKR history 'data' is not an array");
        }
        List<Bar> bars = new ArrayList<>();
        List<RejectedItem> rejects = new ArrayList<>();
        int before = 0;
        int after = 0;
        if (data != null && data.isArray()) {
            for (JsonNode item : data) {
                Instant t = time(item);
                if (t != null && t.isBefore(window.start())) {
                    before++;
                } else if (t != null && t.isAfter(window.start())) {
                    after++;
                }
                if (t != null && !window.keeps(t)) {
                    continue;
                }
                try {
                    bars.add(bar(symbol, timeframe, volumeFactor, item, t));
                } catch (ItemException e) {
                    rejects.add(new RejectedItem(item.toString(), e.reason, e.getMessage()));
                }
            }
        }
        if (window.reading() == IbkrWindow.Reading.FORWARD && after == 0) {
            // Counted back (or nothing to tell by): only a bar at the window start can be this window's.
            List<Bar> atStart =
                    bars.stream().filter(b -> b.ts().equals(window.start())).toList();
            return new Page(
                    atStart, before > 0 ? List.of() : rejects, Optional.of(window.backward(!atStart.isEmpty())));
        }
        return new Page(bars, rejects, Optional.empty());
    }

    private static Instant time(JsonNode item) {
        JsonNode t = item.get("t");
        if (t == null || !t.isNumber() || !t.canConvertToExactIntegral() || !t.canConvertToLong()) {
            return null;
        }
        return Instant.ofEpochMilli(t.longValue());
    }

    /**
     * A bar of the stream's streaming history ({@code smh}), read exactly as a history bar is (volume times the
     * message's {@code volumeFactor}), so the two ways of one bar compare equal.
     *
     * @throws dev.marketdata.sources.provider.live.LiveJson.BadEvent naming the reason when it is not a bar
     */
    static Bar streamBar(String symbol, BigDecimal volumeFactor, JsonNode item) {
        try {
            return bar(symbol, "1m", volumeFactor, item, item == null ? null : time(item));
        } catch (ItemException e) {
            throw new dev.marketdata.sources.provider.live.LiveJson.BadEvent(e.reason, e.getMessage());
        }
    }

    private static Bar bar(String symbol, String timeframe, BigDecimal volumeFactor, JsonNode item, Instant ts)
            throws ItemException {
        if (!item.isObject()) {
            throw new ItemException(RejectedItem.WRONG_TYPE, "bar is not a JSON object");
        }
        if (ts == null) {
            JsonNode t = item.get("t");
            if (t == null || t.isNull()) {
                throw new ItemException(RejectedItem.MISSING_FIELD, "field 't' is missing");
            }
            throw new ItemException(RejectedItem.WRONG_TYPE, "field 't' is not epoch milliseconds: " + t);
        }
        BigDecimal volume = decimal(item, "v").multiply(volumeFactor);
        return new Bar(
                symbol,
                timeframe,
                ts,
                price(item, "o"),
                price(item, "h"),
                price(item, "l"),
                price(item, "c"),
                volume.doubleValue(),
                null,
                null,
                IbkrBarsProtocol.PROVIDER.id());
    }

    private static double price(JsonNode item, String field) throws ItemException {
        double value = decimal(item, field).doubleValue();
        if (!Double.isFinite(value)) {
            throw new ItemException(RejectedItem.WRONG_TYPE, "field '" + field + "' is out of range");
        }
        return value;
    }

    private static BigDecimal decimal(JsonNode item, String field) throws ItemException {
        JsonNode node = item.get(field);
        if (node == null || node.isNull()) {
            throw new ItemException(RejectedItem.MISSING_FIELD, "field '" + field + "' is missing");
        }
        if (!node.isNumber()) {
            throw new ItemException(RejectedItem.WRONG_TYPE, "field '" + field + "' is not a number: " + node);
        }
        return node.decimalValue();
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
