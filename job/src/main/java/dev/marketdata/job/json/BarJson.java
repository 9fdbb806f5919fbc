package dev.marketdata.job.json;

import static dev.marketdata.job.json.Json.optionalDouble;
import static dev.marketdata.job.json.Json.optionalLong;
import static dev.marketdata.job.json.Json.optionalText;
import static dev.marketdata.job.json.Json.requiredDouble;
import static dev.marketdata.job.json.Json.requiredInstant;
import static dev.marketdata.job.json.Json.requiredText;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.sources.model.Bar;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A bar as JSON: {@code {"symbol":"AAPL","timeframe":"1m","ts":"2024-03-01T14:30:00Z","open":182.1,...,
 * "vwap":182.2,"trades":812,"provider":"polygon"}}; {@code vwap}, {@code trades} and {@code provider} optional.
 */
public final class BarJson implements RecordJson<Bar> {

    private static final long serialVersionUID = 1L;

    /** Provider recorded when a message names none. */
    public static final String UNKNOWN_PROVIDER = "unknown";

    @Override
    public void write(Bar bar, JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeStringField("symbol", bar.symbol());
        out.writeStringField("timeframe", bar.timeframe());
        out.writeStringField("ts", bar.ts() == null ? null : bar.ts().toString());
        out.writeNumberField("open", bar.open());
        out.writeNumberField("high", bar.high());
        out.writeNumberField("low", bar.low());
        out.writeNumberField("close", bar.close());
        out.writeNumberField("volume", bar.volume());
        Json.writeNumber(out, "vwap", bar.vwap());
        Json.writeNumber(out, "trades", bar.trades());
        out.writeStringField("provider", bar.provider());
        out.writeEndObject();
    }

    private static final int SYMBOL = 1;
    private static final int TIMEFRAME = 2;
    private static final int TS = 4;
    private static final int OPEN = 8;
    private static final int HIGH = 16;
    private static final int LOW = 32;
    private static final int CLOSE = 64;
    private static final int VOLUME = 128;
    private static final int VWAP = 256;
    private static final int TRADES = 512;
    private static final int PROVIDER = 1024;
    private static final int REQUIRED = SYMBOL | TIMEFRAME | TS | OPEN | HIGH | LOW | CLOSE | VOLUME;

    /**
     * One pass over the tokens (no tree): the fields by name, each at most once, text as text, prices as any JSON
     * number read as a double the way the tree's number nodes give it, {@code trades} only as a plain integer;
     * anything else is left to {@link #read(JsonNode)}.
     */
    @Override
    public Bar readFast(byte[] value) {
        if (value == null) {
            return null;
        }
        String symbol = null;
        String timeframe = null;
        String ts = null;
        double open = 0;
        double high = 0;
        double low = 0;
        double close = 0;
        double volume = 0;
        Double vwap = null;
        Long trades = null;
        String provider = null;
        int seen = 0;
        try (JsonParser p = Json.STRICT_READER.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                int field;
                switch (name) {
                    case "symbol" -> {
                        field = SYMBOL;
                        symbol = textToken(p, v);
                    }
                    case "timeframe" -> {
                        field = TIMEFRAME;
                        timeframe = textToken(p, v);
                    }
                    case "ts" -> {
                        field = TS;
                        ts = textToken(p, v);
                    }
                    case "open" -> {
                        field = OPEN;
                        open = number(p, v);
                    }
                    case "high" -> {
                        field = HIGH;
                        high = number(p, v);
                    }
                    case "low" -> {
                        field = LOW;
                        low = number(p, v);
                    }
                    case "close" -> {
                        field = CLOSE;
                        close = number(p, v);
                    }
                    case "volume" -> {
                        field = VOLUME;
                        volume = number(p, v);
                    }
                    case "vwap" -> {
                        field = VWAP;
                        vwap = v == JsonToken.VALUE_NULL ? null : number(p, v);
                    }
                    case "trades" -> {
                        field = TRADES;
                        if (v == JsonToken.VALUE_NULL) {
                            trades = null;
                        } else if (v == JsonToken.VALUE_NUMBER_INT
                                && (p.getNumberType() == JsonParser.NumberType.INT
                                        || p.getNumberType() == JsonParser.NumberType.LONG)) {
                            trades = p.getLongValue();
                        } else {
                            return null;
                        }
                    }
                    case "provider" -> {
                        field = PROVIDER;
                        if (v == JsonToken.VALUE_NULL) {
                            provider = null;
                        } else {
                            provider = textToken(p, v);
                        }
                    }
                    default -> {
                        return null;
                    }
                }
                if ((seen & field) != 0) {
                    return null;
                }
                seen |= field;
            }
            if (token != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
        } catch (IOException | NotFast | RuntimeException e) {
            return null;
        }
        if ((seen & REQUIRED) != REQUIRED || ts.contains(":60")) {
            return null;
        }
        Instant start;
        try {
            start = Json.parseInstant(ts);
        } catch (DateTimeParseException e) {
            return null;
        }
        return new Bar(
                symbol,
                timeframe,
                start,
                open,
                high,
                low,
                close,
                volume,
                vwap,
                trades,
                provider == null ? UNKNOWN_PROVIDER : provider);
    }

    /** The value is not what the fast path reads; the tree decides. */
    private static final class NotFast extends Exception {
        private static final long serialVersionUID = 1L;
        static final NotFast INSTANCE = new NotFast();

        private NotFast() {
            super(null, null, false, false);
        }
    }

    private static String textToken(JsonParser p, JsonToken v) throws IOException, NotFast {
        if (v != JsonToken.VALUE_STRING) {
            throw NotFast.INSTANCE;
        }
        return p.getText();
    }

    /** A JSON number as a double, as the tree's number node gives it; big integers are left to the tree. */
    private static double number(JsonParser p, JsonToken v) throws IOException, NotFast {
        if (v == JsonToken.VALUE_NUMBER_FLOAT && p.getNumberType() == JsonParser.NumberType.DOUBLE) {
            return p.getDoubleValue();
        }
        if (v == JsonToken.VALUE_NUMBER_INT) {
            JsonParser.NumberType type = p.getNumberType();
            if (type == JsonParser.NumberType.INT) {
                return p.getIntValue();
            }
            if (type == JsonParser.NumberType.LONG) {
                return p.getLongValue();
            }
        }
        throw NotFast.INSTANCE;
    }

    @Override
    public Bar read(JsonNode node) {
        String provider = optionalText(node, "provider");
        return new Bar(
                requiredText(node, "symbol"),
                requiredText(node, "timeframe"),
                requiredInstant(node, "ts"),
                requiredDouble(node, "open"),
                requiredDouble(node, "high"),
                requiredDouble(node, "low"),
                requiredDouble(node, "close"),
                requiredDouble(node, "volume"),
                optionalDouble(node, "vwap"),
                optionalLong(node, "trades"),
                provider == null ? UNKNOWN_PROVIDER : provider);
    }
}
