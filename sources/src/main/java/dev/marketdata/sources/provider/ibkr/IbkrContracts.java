package dev.marketdata.sources.provider.ibkr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.sources.provider.PayloadException;
import dev.marketdata.sources.provider.TickerLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the answer of {@code GET /iserver/secdef/search?symbol=...&secType=STK}: an array of matches, often several
 * for one symbol (the same ticker on other exchanges and countries). A match is taken when its {@code symbol} is
 * the one asked, its exchange ({@code description}, else the part of {@code companyHeader} after {@code " - "}) is
 * one of the wanted exchanges, and its {@code sections} (when present) list {@code STK}; the first such match wins
 * (IBKR lists the best match first). {@code conid} is a string in the docs and an integer in some gateways: both
 * are read. Source: IBKR Client Portal Web API docs; {@code /work/shared/providers.md} 3.1.
 */
final class IbkrContracts {

    private IbkrContracts() {}

    static TickerLookup read(String ticker, String ibkrSymbol, Set<String> exchanges, JsonNode root) {
        if (root.isObject() && root.has("error")) {
            return new TickerLookup.Unknown(
                    ticker,
                    "ibkr contract search for " + ibkrSymbol + ": "
                            + root.path("error").asText());
        }
        if (!root.isArray()) {
            throw new PayloadException("IBKR contract search answer for " + ticker + " is not a JSON array");
        }
        List<String> others = new ArrayList<>();
        for (JsonNode match : root) {
            if (!match.isObject()) {
                throw new PayloadException("IBKR contract search answer for " + ticker + " has a non-object match");
            }
            String conid = conid(match.get("conid"));
            String exchange = exchange(match);
            String symbol = match.path("symbol").asText(ibkrSymbol);
            if (conid != null
                    && symbol.equalsIgnoreCase(ibkrSymbol)
                    && exchanges.contains(exchange.toUpperCase(Locale.ROOT))
                    && isStock(match)) {
                return new TickerLookup.Known(ticker, conid);
            }
            others.add(symbol + (exchange.isEmpty() ? "" : " on " + exchange) + (conid == null ? "" : " " + conid));
        }
        return new TickerLookup.Unknown(
                ticker,
                "ibkr has no stock " + ibkrSymbol + " on " + String.join(",", new java.util.TreeSet<>(exchanges))
                        + (others.isEmpty() ? " (no matches)" : " (matches: " + String.join("; ", others) + ")"));
    }

    private static String conid(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return Long.toString(node.longValue());
        }
        if (node.isTextual() && node.asText().matches("[0-9]+")) {
            return node.asText();
        }
        return null;
    }

    private static String exchange(JsonNode match) {
        String description = match.path("description").asText("");
        if (!description.isBlank()) {
            return description.strip();
        }
        String header = match.path("companyHeader").asText("");
        int dash = header.lastIndexOf(" - ");
        return dash < 0 ? "" : header.substring(dash + 3).strip();
    }

    private static boolean isStock(JsonNode match) {
        JsonNode sections = match.get("sections");
        if (sections == null || !sections.isArray() || sections.isEmpty()) {
            return true;
        }
        for (JsonNode section : sections) {
            if ("STK".equals(section.path("secType").asText())) {
                return true;
            }
        }
        return false;
    }
}
