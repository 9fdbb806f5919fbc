package dev.marketdata.sources.provider.alpaca;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketdata.sources.provider.BarQuery;
import dev.marketdata.sources.provider.BarsPage;
import dev.marketdata.sources.provider.BarsProtocol;
import dev.marketdata.sources.provider.Credentials;
import dev.marketdata.sources.provider.EmptyAnswer;
import dev.marketdata.sources.provider.HttpRequestSpec;
import dev.marketdata.sources.provider.PayloadException;
import dev.marketdata.sources.provider.Provider;
import dev.marketdata.sources.provider.ProviderError;
import dev.marketdata.sources.provider.RetryAfter;
import dev.marketdata.sources.provider.TickerLookup;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Alpaca Market Data API v2 historical stock bars ({@code GET /v2/stocks/{symbol}/bars}), as a {@link BarsProtocol}.
 *
 * <p>Requests: {@code timeframe} ({@code 1Min 5Min 15Min 30Min 1Hour 1Day}), {@code start} and {@code end} in RFC
 * 3339 UTC ({@code end} is inclusive at Alpaca, so it is sent one nanosecond before the query's exclusive end),
 * {@code limit=10000} (Alpaca's maximum), {@code adjustment}, {@code feed} always (omitted, Alpaca's REST serves SIP
 * while the stream's default URL carries IEX, so stream and repair would store different bars), and
 * {@code page_token} from the previous page's {@code next_page_token} ({@code null}, empty or absent on the last
 * page). Auth: the two headers {@code APCA-API-KEY-ID} and {@code APCA-API-SECRET-KEY}, never the URL.
 *
 * <p>Lookup: {@code GET /v2/assets/{symbol}}, which lives on the <em>trading</em> API host
 * ({@code https://paper-api.alpaca.markets} or {@code https://api.alpaca.markets}), not on the data host: the
 * framework sends it to {@link #lookupBaseUrl()}. It answers 404 for a symbol Alpaca does not know (the bars
 * endpoint answers such a symbol with an empty 200).
 *
 * <p>Errors ({@code {"message":"..."}}): 401/403 bad key or data not in the plan (fatal), 429 rate limit and 5xx
 * (retried), 400/422 invalid parameter (the request is wrong: fatal). Sources: Alpaca Market Data API v2 docs,
 * alpaca-py; {@code /work/shared/providers.md} section 2.
 */
public final class AlpacaBarsProtocol implements BarsProtocol {

    private static final long serialVersionUID = 1L;

    public static final Provider PROVIDER = Provider.ALPACA;

    /** Default data host ({@code --alpaca-url}). */
    public static final String DEFAULT_DATA_URL = "https://data.alpaca.markets";

    /**
     * Default trading host for the assets lookup ({@code --alpaca-trading-url}): the paper host, the default of
     * Alpaca's own SDK ({@code TradingClient(paper=True)}); keys of a live account need
     * {@code https://api.alpaca.markets}.
     */
    public static final String DEFAULT_TRADING_URL = "https://paper-api.alpaca.markets";

    /** The feeds a backfill may ask for ({@code --alpaca-feed}). */
    public static final Set<String> FEEDS = Set.of("iex", "sip");

    /** Alpaca's {@code adjustment} values. */
    public static final Set<String> ADJUSTMENTS = Set.of("raw", "split", "dividend", "all");

    /** {@link BarQuery#options()} key of the feed; overrides the protocol's own. */
    public static final String FEED_OPTION = "feed";

    /** {@link BarQuery#options()} key of the adjustment; overrides the protocol's own. */
    public static final String ADJUSTMENT_OPTION = "adjustment";

    /** Reject reason: a multi-symbol answer held bars of a symbol that was not asked for. */
    public static final String UNEXPECTED_SYMBOL = "UNEXPECTED_SYMBOL";

    /** Alpaca's most bars per page ({@code limit} 1-10000). */
    static final int MAX_LIMIT = 10_000;

    // Algo Trader Plus (SIP) plan: 10,000 requests per minute [S] (providers.md 2); the free plan allows 200.
    private static final int PAID_PLAN_REQUESTS_PER_MINUTE = 10_000;

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final String feed;
    private final String adjustment;
    private final String tradingUrl;

    /**
     * @param feed {@code iex} or {@code sip}, sent with every bars request
     * @param adjustment {@code raw}, {@code split}, {@code dividend} or {@code all}
     * @param tradingUrl base URL of the trading API that serves the assets lookup, e.g. {@link #DEFAULT_TRADING_URL}
     * @throws IllegalArgumentException when a value is not one Alpaca takes
     */
    public AlpacaBarsProtocol(String feed, String adjustment, String tradingUrl) {
        if (!FEEDS.contains(feed)) {
            throw new IllegalArgumentException("--alpaca-feed must be iex or sip, not '" + feed + "'");
        }
        if (!ADJUSTMENTS.contains(adjustment)) {
            throw new IllegalArgumentException(
                    "Alpaca adjustment must be raw, split, dividend or all, not '" + adjustment + "'");
        }
        this.feed = feed;
        this.adjustment = adjustment;
        this.tradingUrl = stripTrailingSlash(tradingUrl);
    }

    /** Feed {@code iex}, no adjustment, the paper trading host. */
    public static AlpacaBarsProtocol defaults() {
        return new AlpacaBarsProtocol("iex", "raw", DEFAULT_TRADING_URL);
    }

    @Override
    public Provider provider() {
        return PROVIDER;
    }

    @Override
    public int defaultRequestsPerMinute() {
        return PAID_PLAN_REQUESTS_PER_MINUTE;
    }

    @Override
    public int maxBarsPerPage() {
        return MAX_LIMIT;
    }

    @Override
    public boolean supports(String timeframe) {
        try {
            AlpacaTimeframe.of(timeframe);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The trading API host ({@code --alpaca-trading-url}): Alpaca's assets live there, not on the data host the
     * bars come from.
     */
    @Override
    public Optional<String> lookupBaseUrl() {
        return Optional.of(tradingUrl);
    }

    @Override
    public HttpRequestSpec lookupRequest(String ticker) {
        return HttpRequestSpec.get("/v2/assets/" + encode(ticker));
    }

    /**
     * 200: the asset; a {@code us_equity} asset is known (also when inactive: a delisted symbol still has history),
     * another class is not served by the stock bars endpoint. 404: Alpaca has no such asset.
     */
    @Override
    public TickerLookup readLookup(String ticker, int status, byte[] body) {
        if (status == 404) {
            return new TickerLookup.Unknown(
                    ticker,
                    "alpaca has no asset " + ticker
                            + message(body).map(m -> " (" + m + ")").orElse(""));
        }
        JsonNode asset = parse(body, "assets");
        if (!asset.isObject()) {
            throw new PayloadException("Alpaca assets answer for " + ticker + " is not a JSON object");
        }
        String assetClass = asset.path("class").asText("");
        if (!assetClass.isEmpty() && !assetClass.equals("us_equity")) {
            return new TickerLookup.Unknown(
                    ticker, "alpaca asset " + ticker + " is of class " + assetClass + ", not a us_equity stock");
        }
        return new TickerLookup.Known(ticker, ticker);
    }

    @Override
    public HttpRequestSpec barsRequest(BarQuery query, Optional<String> cursor) {
        String feedParameter = query.option(FEED_OPTION).orElse(feed);
        if (!FEEDS.contains(feedParameter)) {
            throw new IllegalArgumentException("Alpaca feed must be iex or sip, not '" + feedParameter + "'");
        }
        StringBuilder target = new StringBuilder("/v2/stocks/")
                .append(encode(query.providerId()))
                .append("/bars?timeframe=")
                .append(AlpacaTimeframe.of(query.timeframe()))
                .append("&start=")
                .append(encode(AlpacaTime.format(query.from())))
                .append("&end=")
                .append(encode(AlpacaTime.format(query.to().minusNanos(1))))
                .append("&limit=")
                .append(MAX_LIMIT)
                .append("&adjustment=")
                .append(encode(query.option(ADJUSTMENT_OPTION).orElse(adjustment)))
                .append("&feed=")
                .append(feedParameter);
        cursor.ifPresent(token -> target.append("&page_token=").append(encode(token)));
        return HttpRequestSpec.get(target.toString());
    }

    @Override
    public BarsPage readBars(BarQuery query, byte[] body) {
        return AlpacaBarsBody.read(query.providerId(), query.ticker(), query.timeframe(), parse(body, "bars"));
    }

    @Override
    public ProviderError readError(int status, Map<String, List<String>> headers, byte[] body) {
        String message = message(body).orElse("HTTP " + status);
        if (status == 401 || status == 403) {
            return ProviderError.fatal(status, message);
        }
        if (status == 429 || status >= 500) {
            return ProviderError.retryable(status, message, RetryAfter.from(headers, Instant.now()));
        }
        return ProviderError.malformed(status, message);
    }

    @Override
    public void authenticate(Map<String, String> headers, Credentials credentials) {
        if (credentials.keyId().isEmpty()) {
            throw new IllegalArgumentException(
                    "Alpaca needs a key id and a secret key (APCA_API_KEY_ID and APCA_API_SECRET_KEY)");
        }
        headers.put("APCA-API-KEY-ID", credentials.keyId().get());
        headers.put("APCA-API-SECRET-KEY", credentials.secret());
    }

    /**
     * An empty page for a known symbol on a trading day is suspect, as with every provider; but note that the IEX
     * feed has no bars at all for minutes in which IEX saw no trade, so thin symbols answer empty legitimately.
     */
    @Override
    public EmptyAnswer emptyAnswer() {
        return EmptyAnswer.SUSPECT_ON_TRADING_DAY;
    }

    private static JsonNode parse(byte[] body, String what) {
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new PayloadException("Alpaca " + what + " answer is empty");
            }
            return root;
        } catch (IOException e) {
            throw new PayloadException("Alpaca " + what + " answer is not JSON: " + reason(e));
        }
    }

    /** Alpaca's error text: {@code message} of a JSON body, else the body itself, shortened. */
    static Optional<String> message(byte[] body) {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(body);
            if (root != null && root.path("message").isTextual()) {
                return Optional.of(root.path("message").asText());
            }
        } catch (IOException notJson) {
            // fall through to the raw text
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(text.length() > 200 ? text.substring(0, 200) : text);
    }

    private static String reason(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException json
                ? json.getOriginalMessage()
                : e.getMessage();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
