package dev.marketdata.job.json;

import static dev.marketdata.job.json.Json.optionalDouble;
import static dev.marketdata.job.json.Json.optionalLong;
import static dev.marketdata.job.json.Json.optionalText;
import static dev.marketdata.job.json.Json.requiredDouble;
import static dev.marketdata.job.json.Json.requiredInstant;
import static dev.marketdata.job.json.Json.requiredText;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.sources.model.Bar;
import java.io.IOException;

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
