package dev.marketdata.sources.provider.polygon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.BarQuery;
import dev.marketdata.sources.provider.BarsPage;
import dev.marketdata.sources.provider.BarsProtocol;
import dev.marketdata.sources.provider.Credentials;
import dev.marketdata.sources.provider.EmptyAnswer;
import dev.marketdata.sources.provider.HttpRequestSpec;
import dev.marketdata.sources.provider.ItemRejection;
import dev.marketdata.sources.provider.JsonItems;
import dev.marketdata.sources.provider.Page;
import dev.marketdata.sources.provider.PayloadException;
import dev.marketdata.sources.provider.Provider;
import dev.marketdata.sources.provider.ProviderError;
import dev.marketdata.sources.provider.RetryAfter;
import dev.marketdata.sources.provider.TickerLookup;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Polygon.io (Massive) aggregates, as providers.md section 1 describes them.
 *
 * <ul>
 *   <li>Bars: {@code GET /v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{fromMs}/{toMs}} with
 *       {@code adjusted=true&sort=asc&limit=50000}; {@code to} is inclusive, so the window's end minus 1 ms.
 *   <li>{@code t} is the Unix milliseconds of the bar's start (daily bars: 00:00 New York, kept as stamped).
 *       {@code o h l c v t} are required, {@code vw} and {@code n} optional (null when absent, never invented);
 *       volume may be fractional or in exponent form. {@code results} absent or {@code null}: no bars.
 *   <li>Pagination: {@code next_url} is the cursor; its path and query are sent to the configured base URL (as the
 *       official client does), never to its host. A {@code next_url} whose host does not parse (seen:
 *       {@code api.polygon.io:443:443}) cannot be used: {@link #barsRequest} refuses it.
 *   <li>Auth: {@code Authorization: Bearer <key>}, as the official client sends it, so the key is never in a URL.
 *   <li>Lookup: {@code GET /v3/reference/tickers/{ticker}}: 200 with {@code results} = known, 404 = unknown.
 *   <li>Errors: 401/403 fatal; 413, 429, 499 and 5xx retried (the official client's list), honouring
 *       {@code Retry-After}; other 4xx malformed requests.
 * </ul>
 */
public final class PolygonProtocol implements BarsProtocol {

    private static final long serialVersionUID = 1L;

    /**
     * Paid plans have no fixed limit; Polygon asks to stay under 100 requests per second (knowledge base, "What is
     * the request limit"), i.e. 6,000 a minute.
     */
    public static final int PAID_PLAN_REQUESTS_PER_MINUTE = 6000;

    /** {@code limit}'s maximum: base aggregates per response. */
    public static final int MAX_LIMIT = 50_000;

    private static final Pattern TIMEFRAME = Pattern.compile("([1-9][0-9]{0,3})(m|h|d)");
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Override
    public Provider provider() {
        return Provider.POLYGON;
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
        return timeframe != null && TIMEFRAME.matcher(timeframe).matches();
    }

    @Override
    public HttpRequestSpec lookupRequest(String ticker) {
        return HttpRequestSpec.get("/v3/reference/tickers/" + segment(ticker));
    }

    @Override
    public TickerLookup readLookup(String ticker, int status, byte[] body) {
        if (status == 404) {
            return new TickerLookup.Unknown(
                    ticker,
                    "polygon has no ticker " + ticker
                            + message(body).map(m -> " (" + m + ")").orElse(""));
        }
        JsonNode root = parse(body);
        JsonNode results = root.get("results");
        if (results == null || results.isNull() || (results.isArray() && results.isEmpty())) {
            return new TickerLookup.Unknown(ticker, "polygon has no ticker " + ticker + " (no results)");
        }
        if (!results.isObject() && !results.isArray()) {
            throw new PayloadException("ticker reference: results is " + results.getNodeType());
        }
        return new TickerLookup.Known(ticker, ticker);
    }

    @Override
    public HttpRequestSpec barsRequest(BarQuery query, Optional<String> cursor) {
        if (cursor.isPresent()) {
            return HttpRequestSpec.get(pathAndQuery(cursor.get()));
        }
        Matcher m = TIMEFRAME.matcher(query.timeframe());
        if (!m.matches()) {
            throw new IllegalArgumentException("polygon has no " + query.timeframe() + " bars");
        }
        String timespan =
                switch (m.group(2)) {
                    case "m" -> "minute";
                    case "h" -> "hour";
                    default -> "day";
                };
        return HttpRequestSpec.get("/v2/aggs/ticker/" + segment(query.ticker()) + "/range/" + m.group(1) + "/"
                + timespan + "/" + query.from().toEpochMilli() + "/"
                + (query.to().toEpochMilli() - 1)
                + "?adjusted=true&sort=asc&limit=" + MAX_LIMIT);
    }

    /** The path and query of {@code nextUrl}; refuses one whose host does not parse. */
    static String pathAndQuery(String nextUrl) {
        try {
            URI uri = new URI(nextUrl).parseServerAuthority();
            if (uri.getHost() == null
                    || uri.getRawPath() == null
                    || !uri.getRawPath().startsWith("/")) {
                throw new IllegalArgumentException(
                        "next_url has no usable host and path: " + HttpRequestSpec.redact(nextUrl));
            }
            return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "next_url does not parse (" + e.getReason() + "): " + HttpRequestSpec.redact(nextUrl));
        }
    }

    @Override
    public BarsPage readBars(BarQuery query, byte[] body) {
        Page<Bar> page = JsonItems.page(body, "results", "next_url", item -> bar(query, item));
        return new BarsPage(page.records(), page.rejects(), page.nextCursor());
    }

    private static Bar bar(BarQuery query, JsonNode item) {
        if (!item.isObject()) {
            throw ItemRejection.wrongType("a result is a JSON " + item.getNodeType());
        }
        JsonNode t = required(item, "t");
        if (!t.isIntegralNumber() && !(t.isNumber() && t.canConvertToExactIntegral())) {
            throw ItemRejection.wrongType("t is not an integer of Unix milliseconds: " + t);
        }
        Long trades = null;
        JsonNode n = item.get("n");
        if (n != null && !n.isNull()) {
            if (!n.isNumber() || !n.canConvertToExactIntegral()) {
                throw ItemRejection.wrongType("n is not an integer: " + n);
            }
            trades = n.asLong();
        }
        JsonNode vw = item.get("vw");
        return new Bar(
                query.ticker(),
                query.timeframe(),
                Instant.ofEpochMilli(t.asLong()),
                number(item, "o"),
                number(item, "h"),
                number(item, "l"),
                number(item, "c"),
                number(item, "v"),
                vw == null || vw.isNull() ? null : number(item, "vw"),
                trades,
                Provider.POLYGON.id());
    }

    private static JsonNode required(JsonNode item, String field) {
        JsonNode value = item.get(field);
        if (value == null || value.isNull()) {
            throw ItemRejection.missing(field);
        }
        return value;
    }

    private static double number(JsonNode item, String field) {
        JsonNode value = required(item, field);
        if (!value.isNumber()) {
            throw ItemRejection.wrongType(field + " is not a number: " + value);
        }
        return value.asDouble();
    }

    @Override
    public ProviderError readError(int status, Map<String, List<String>> headers, byte[] body) {
        String message = message(body).orElse("");
        if (status == 401 || status == 403) {
            return ProviderError.fatal(status, message);
        }
        if (status == 413 || status == 429 || status == 499 || status >= 500) {
            return ProviderError.retryable(status, message, RetryAfter.from(headers, Instant.now()));
        }
        return ProviderError.malformed(status, message);
    }

    /** The {@code error} or {@code message} of an error body, else its first 300 characters. */
    private static Optional<String> message(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            for (String field : List.of("error", "message")) {
                JsonNode value = root == null ? null : root.get(field);
                if (value != null && value.isTextual()) {
                    return Optional.of(value.asText());
                }
            }
        } catch (IOException notJson) {
            // Fall back to the text.
        }
        String text =
                new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(text.length() > 300 ? text.substring(0, 300) : text);
    }

    @Override
    public void authenticate(Map<String, String> headers, Credentials credentials) {
        headers.put("Authorization", "Bearer " + credentials.secret());
    }

    @Override
    public EmptyAnswer emptyAnswer() {
        return EmptyAnswer.SUSPECT_ON_TRADING_DAY;
    }

    static JsonNode parse(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new PayloadException("the body is empty");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new PayloadException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PayloadException("not JSON: " + e.getMessage());
        }
    }

    static String segment(String ticker) {
        return URLEncoder.encode(ticker, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
