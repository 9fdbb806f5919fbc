package dev.marketdata.sources.provider.alpaca;

import static dev.marketdata.sources.provider.JsonItems.integer;
import static dev.marketdata.sources.provider.JsonItems.number;
import static dev.marketdata.sources.provider.JsonItems.object;
import static dev.marketdata.sources.provider.JsonItems.objectItem;
import static dev.marketdata.sources.provider.JsonItems.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.sources.model.OccContract;
import dev.marketdata.sources.model.OptionQuote;
import dev.marketdata.sources.provider.ItemRejection;
import dev.marketdata.sources.provider.JsonItems;
import dev.marketdata.sources.provider.Page;
import dev.marketdata.sources.provider.PageQuery;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * Alpaca option quotes from the option chain snapshot, {@code GET /v1beta1/options/snapshots/{underlying}} on the
 * data API, as providers.md section 2.4 describes it. A snapshot is the chain <em>as it stands</em>: each quote is
 * kept when its time lies in the job's window and dead-lettered {@code OUTSIDE_WINDOW} otherwise. (Alpaca's option
 * bars are bars, not quotes, so they are not read here.)
 *
 * <ul>
 *   <li>Request: {@code feed=<opra|indicative>} (always sent: left out, Alpaca picks OPRA or the indicative feed by
 *       the account's plan, and the stored quotes would change meaning with it), then the same with
 *       {@code page_token=<next_page_token>}.
 *   <li>{@code snapshots} is an object keyed by contract, an OCC symbol without Polygon's {@code O:} prefix. The
 *       snapshot carries no contract details, so expiration, right ({@code C}: call, {@code P}: put) and strike
 *       (its 8 digits / 1000) are read from that symbol, as the OCC symbology defines them; a key that is not an
 *       OCC symbol is dead-lettered {@code WRONG_TYPE}. The underlying is the one asked for.
 *   <li>{@code latestQuote} with {@code bp} (bid), {@code ap} (ask) and {@code t} (RFC 3339, up to nine fractional
 *       digits: the quote's time) is required; {@code bs} and {@code as} (sizes) are stored when present.
 *       {@code c} (a string for options, not an array) is not stored.
 *   <li>Stored when present, null when absent: {@code latestTrade.p} (last), {@code impliedVolatility},
 *       {@code greeks.delta}, {@code gamma}, {@code theta}, {@code vega}, {@code rho}. The snapshot has no volume
 *       and no open interest: null.
 *   <li>{@code provider} is {@code alpaca}.
 * </ul>
 *
 * <p>Lookup (the trading API's assets), errors, authentication, request rate and paging: {@link AlpacaPageProtocol}.
 */
public final class AlpacaOptionsProtocol extends AlpacaPageProtocol<OptionQuote> {

    private static final long serialVersionUID = 1L;

    /** The option feeds Alpaca serves. */
    public static final Set<String> FEEDS = Set.of("opra", "indicative");

    /** {@link dev.marketdata.sources.provider.ProviderSettings#options()} key of the option feed. */
    public static final String FEED_OPTION = "options-feed";

    private final String feed;

    /**
     * @param feed {@code opra} or {@code indicative}
     * @throws IllegalArgumentException for another feed
     */
    public AlpacaOptionsProtocol(AlpacaBarsProtocol transport, String feed) {
        super(transport);
        if (!FEEDS.contains(feed)) {
            throw new IllegalArgumentException("--alpaca-options-feed must be opra or indicative, not '" + feed + "'");
        }
        this.feed = feed;
    }

    @Override
    public String dataset() {
        return "options";
    }

    @Override
    String firstPage(PageQuery query) {
        return "/v1beta1/options/snapshots/" + AlpacaBarsProtocol.encode(query.providerId()) + "?feed=" + feed;
    }

    @Override
    public Page<OptionQuote> readPage(PageQuery query, byte[] body) {
        return JsonItems.keyedPage(
                body, "snapshots", "next_page_token", (contract, item) -> quote(query.ticker(), contract, item));
    }

    @Override
    public Instant timeOf(OptionQuote quote) {
        return quote.ts();
    }

    private static OptionQuote quote(String underlying, String contract, JsonNode item) {
        objectItem(item, "a snapshot");
        OccContract occ = OccContract.parse(contract)
                .orElseThrow(() -> ItemRejection.wrongType("the snapshot's key " + contract
                        + " is not an OCC contract symbol (root, YYMMDD, C or P, strike x 1000 in 8 digits)"));
        JsonNode quote = object(item, "latestQuote", true);
        JsonNode trade = object(item, "latestTrade", false);
        JsonNode greeks = object(item, "greeks", false);
        String t = text(quote, "t", true);
        Instant ts;
        try {
            ts = AlpacaTime.parse(t);
        } catch (DateTimeParseException e) {
            throw ItemRejection.wrongType("latestQuote.t is not an RFC 3339 time: " + t);
        }
        return new OptionQuote(
                contract,
                underlying,
                occ.expiration(),
                occ.strikeThousandths() / 1000.0,
                occ.call() ? OptionQuote.CALL : OptionQuote.PUT,
                number(quote, "bp", true),
                number(quote, "ap", true),
                trade == null ? null : number(trade, "p", false),
                integer(quote, "bs", false),
                integer(quote, "as", false),
                null,
                null,
                number(item, "impliedVolatility", false),
                greeks == null ? null : number(greeks, "delta", false),
                greeks == null ? null : number(greeks, "gamma", false),
                greeks == null ? null : number(greeks, "theta", false),
                greeks == null ? null : number(greeks, "vega", false),
                greeks == null ? null : number(greeks, "rho", false),
                ts,
                AlpacaBarsProtocol.PROVIDER.id());
    }
}
