package dev.marketdata.job.json;

import static dev.marketdata.job.json.Json.optionalDouble;
import static dev.marketdata.job.json.Json.optionalLong;
import static dev.marketdata.job.json.Json.optionalText;
import static dev.marketdata.job.json.Json.requiredDate;
import static dev.marketdata.job.json.Json.requiredDouble;
import static dev.marketdata.job.json.Json.requiredInstant;
import static dev.marketdata.job.json.Json.requiredText;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.sources.model.OptionQuote;
import java.io.IOException;

/**
 * An option quote as JSON: {@code {"contract":"AAPL240315C00180000","underlying":"AAPL","expiration":"2024-03-15",
 * "strike":180.0,"option_right":"call","bid":2.45,"ask":2.5,...,"ts":"2024-03-01T14:30:00Z","provider":"polygon"}}.
 * Required: contract, underlying, expiration, strike, option_right, bid, ask, ts; the rest may be absent or null.
 */
public final class OptionQuoteJson implements RecordJson<OptionQuote> {

    private static final long serialVersionUID = 1L;

    @Override
    public void write(OptionQuote q, JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeStringField("contract", q.contract());
        out.writeStringField("underlying", q.underlying());
        Json.writeDate(out, "expiration", q.expiration());
        out.writeNumberField("strike", q.strike());
        out.writeStringField("option_right", q.optionRight());
        out.writeNumberField("bid", q.bid());
        out.writeNumberField("ask", q.ask());
        Json.writeNumber(out, "last", q.last());
        Json.writeNumber(out, "bid_size", q.bidSize());
        Json.writeNumber(out, "ask_size", q.askSize());
        Json.writeNumber(out, "volume", q.volume());
        Json.writeNumber(out, "open_interest", q.openInterest());
        Json.writeNumber(out, "implied_volatility", q.impliedVolatility());
        Json.writeNumber(out, "delta", q.delta());
        Json.writeNumber(out, "gamma", q.gamma());
        Json.writeNumber(out, "theta", q.theta());
        Json.writeNumber(out, "vega", q.vega());
        Json.writeNumber(out, "rho", q.rho());
        Json.writeInstant(out, "ts", q.ts());
        out.writeStringField("provider", q.provider());
        out.writeEndObject();
    }

    @Override
    public OptionQuote read(JsonNode node) {
        String provider = optionalText(node, "provider");
        return new OptionQuote(
                requiredText(node, "contract"),
                requiredText(node, "underlying"),
                requiredDate(node, "expiration"),
                requiredDouble(node, "strike"),
                requiredText(node, "option_right"),
                requiredDouble(node, "bid"),
                requiredDouble(node, "ask"),
                optionalDouble(node, "last"),
                optionalLong(node, "bid_size"),
                optionalLong(node, "ask_size"),
                optionalLong(node, "volume"),
                optionalLong(node, "open_interest"),
                optionalDouble(node, "implied_volatility"),
                optionalDouble(node, "delta"),
                optionalDouble(node, "gamma"),
                optionalDouble(node, "theta"),
                optionalDouble(node, "vega"),
                optionalDouble(node, "rho"),
                requiredInstant(node, "ts"),
                provider == null ? BarJson.UNKNOWN_PROVIDER : provider);
    }
}
