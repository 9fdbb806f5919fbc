package dev.marketdata.sources.provider.polygon;

import static dev.marketdata.sources.provider.JsonItems.date;
import static dev.marketdata.sources.provider.JsonItems.integer;
import static dev.marketdata.sources.provider.JsonItems.number;
import static dev.marketdata.sources.provider.JsonItems.object;
import static dev.marketdata.sources.provider.JsonItems.objectItem;
import static dev.marketdata.sources.provider.JsonItems.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.sources.model.OptionQuote;
import dev.marketdata.sources.provider.PageQuery;
import dev.marketdata.sources.provider.Provider;
import java.time.Instant;

/**
 * Polygon.io (Massive) option quotes from the option chain snapshot, {@code GET /v3/snapshot/options/{underlying}}, as
 * providers.md section 1.3 describes it. A snapshot is the chain <em>as it stands</em>: each quote is kept when its
 * time lies in the job's window and dead-lettered {@code OUTSIDE_WINDOW} otherwise (a window in the past gets no
 * quotes; Polygon has no historical chain at this endpoint).
 *
 * <ul>
 *   <li>Request: {@code limit=250} (the maximum), then {@code next_url}'s path and query on the configured base URL.
 *   <li>Each result: {@code details.ticker} (the contract, {@code O:} prefix kept as sent; validation stores the
 *       compact OCC form), {@code details.expiration_date}, {@code details.strike_price},
 *       {@code details.contract_type} (stored as sent; validation accepts {@code call} and {@code put}),
 *       {@code underlying_asset.ticker}, {@code last_quote.bid}, {@code last_quote.ask} and
 *       {@code last_quote.last_updated} (Unix <em>nanoseconds</em>, an integer: the quote's time) are required, else
 *       the result is dead-lettered ({@code MISSING_FIELD} or {@code WRONG_TYPE}).
 *   <li>Stored when present, null when absent (never invented): {@code last_quote.bid_size} and {@code ask_size},
 *       {@code last_trade.price} (last), {@code day.volume}, {@code open_interest}, {@code implied_volatility} and
 *       {@code greeks.delta}, {@code gamma}, {@code theta}, {@code vega}. Polygon sends no rho: null.
 *   <li>{@code provider} is {@code polygon}.
 * </ul>
 *
 * <p>Lookup (of the underlying), errors, authentication, request rate and paging: {@link PolygonPageProtocol}.
 */
public final class PolygonOptionsProtocol extends PolygonPageProtocol<OptionQuote> {

    private static final long serialVersionUID = 1L;

    /** {@code limit}'s maximum for the chain snapshot. */
    public static final int MAX_LIMIT = 250;

    @Override
    public String dataset() {
        return "options";
    }

    @Override
    String firstPage(PageQuery query) {
        return "/v3/snapshot/options/" + PolygonProtocol.segment(query.providerId()) + "?limit=" + MAX_LIMIT;
    }

    @Override
    public Instant timeOf(OptionQuote quote) {
        return quote.ts();
    }

    @Override
    OptionQuote read(PageQuery query, JsonNode item) {
        objectItem(item, "a result");
        JsonNode details = object(item, "details", true);
        JsonNode underlying = object(item, "underlying_asset", true);
        JsonNode quote = object(item, "last_quote", true);
        JsonNode trade = object(item, "last_trade", false);
        JsonNode day = object(item, "day", false);
        JsonNode greeks = object(item, "greeks", false);
        long nanos = integer(quote, "last_updated", true);
        return new OptionQuote(
                text(details, "ticker", true),
                text(underlying, "ticker", true),
                date(details, "expiration_date", true),
                number(details, "strike_price", true),
                text(details, "contract_type", true),
                number(quote, "bid", true),
                number(quote, "ask", true),
                trade == null ? null : number(trade, "price", false),
                integer(quote, "bid_size", false),
                integer(quote, "ask_size", false),
                day == null ? null : integer(day, "volume", false),
                integer(item, "open_interest", false),
                number(item, "implied_volatility", false),
                greeks == null ? null : number(greeks, "delta", false),
                greeks == null ? null : number(greeks, "gamma", false),
                greeks == null ? null : number(greeks, "theta", false),
                greeks == null ? null : number(greeks, "vega", false),
                null,
                Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)),
                Provider.POLYGON.id());
    }
}
