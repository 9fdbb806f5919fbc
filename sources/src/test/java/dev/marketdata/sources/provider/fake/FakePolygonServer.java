package dev.marketdata.sources.provider.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketdata.sources.model.Bar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake Polygon (Massive) REST API speaking providers.md section 1: the ticker reference
 * ({@code /v3/reference/tickers/{ticker}}: 200 or 404) and aggregates
 * ({@code /v2/aggs/ticker/{ticker}/range/{m}/{span}/{fromMs}/{toMs}}, {@code to} inclusive, ascending), with
 * {@code next_url} pagination after {@link #pageSize} bars whose host is the real one ({@code api.massive.com}), so
 * a client that followed it instead of its own base URL would fail. Unknown tickers get an empty 200 (no
 * {@code results}). Every request must carry {@code Authorization: Bearer }{@link #KEY}, else the documented 401.
 * Bars are kept as the JSON text each fixture gives; the awkward answers are scripted per test through
 * {@link #http()}. News ({@code /v2/reference/news}, section 1.4): the articles added with {@link #addNews} whose
 * {@code tickers} hold the asked {@code ticker} and whose {@code published_utc} is in
 * {@code [published_utc.gte, published_utc.lt)}, oldest first, paged like the bars with an opaque {@code cursor}.
 * Option chains ({@code /v3/snapshot/options/{underlying}}, section 1.3): the results of a fixture file as given,
 * {@code limit} 1-250 (else 400), paged by {@code next_url}; an unknown underlying gets an empty 200. Financials
 * ({@code /vX/reference/financials}, section 1.5): a fixture's results whose {@code filing_date} lies in
 * {@code [filing_date.gte, filing_date.lte]}, {@code limit} 1-100, oldest filing first, paged by {@code next_url}.
 */
public final class FakePolygonServer implements AutoCloseable {

    /** The only key the fake accepts. Tests check it never appears in logs or messages. */
    public static final String KEY = "pk_FAKE_s3cr3t_0123456789";

    public static final String UNKNOWN_API_KEY =
            "{\"status\":\"ERROR\",\"request_id\":\"x\",\"error\":\"Unknown API Key\"}";
    public static final String RATE_LIMITED = "{\"status\":\"ERROR\",\"request_id\":\"x\",\"error\":\"You've exceeded"
            + " the maximum requests per minute, please wait or upgrade your subscription to continue.\"}";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern AGGS =
            Pattern.compile("/v2/aggs/ticker/([^/]+)/range/([0-9]+)/([a-z]+)/([0-9]+)/([0-9]+)");
    private static final Pattern REFERENCE = Pattern.compile("/v3/reference/tickers/([^/]+)");

    private final FakeProviderServer http = new FakeProviderServer();
    /** Ticker to (start ms to raw bar JSON). */
    private final Map<String, TreeMap<Long, List<String>>> bars = new TreeMap<>();

    private volatile int pageSize = Integer.MAX_VALUE;
    /** Underlying to the raw results of its option chain snapshot. */
    private final Map<String, List<String>> chains = new TreeMap<>();
    /** Ticker to the raw results of its financials. */
    private final Map<String, List<String>> financials = new TreeMap<>();
    /** Raw news articles as added, sorted by publication at answer time. */
    private final List<String> news = new ArrayList<>();

    public FakePolygonServer() {
        http.requireAuth(
                r -> ("Bearer " + KEY).equals(r.header("authorization")), FakeResponse.json(401, UNKNOWN_API_KEY));
        http.fallback(this::serve);
    }

    public FakeProviderServer http() {
        return http;
    }

    public String baseUrl() {
        return http.baseUrl();
    }

    /** Answers with at most {@code n} bars and a {@code next_url} when more remain. */
    public void pageSize(int n) {
        this.pageSize = n;
    }

    /** Makes {@code ticker} known, with the given bars (raw JSON objects with a {@code t}). */
    public synchronized void addBars(String ticker, String... rawBars) {
        TreeMap<Long, List<String>> byStart = bars.computeIfAbsent(ticker, t -> new TreeMap<>());
        for (String raw : rawBars) {
            try {
                JsonNode node = JSON.readTree(raw);
                byStart.computeIfAbsent(node.get("t").asLong(), t -> new ArrayList<>())
                        .add(raw);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Adds news articles (raw JSON objects with {@code published_utc} and {@code tickers}, sent as given) and makes
     * each of their tickers known.
     */
    public synchronized void addNews(String... rawArticles) {
        for (String raw : rawArticles) {
            try {
                JsonNode node = JSON.readTree(raw);
                node.get("tickers").forEach(t -> bars.computeIfAbsent(t.asText(), k -> new TreeMap<>()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            news.add(raw);
        }
    }

    private FakeResponse serveNews(RecordedRequest request) {
        Map<String, String> params = new TreeMap<>();
        String query = request.target().contains("?")
                ? request.target().substring(request.target().indexOf('?') + 1)
                : "";
        for (String param : query.split("&")) {
            int eq = param.indexOf('=');
            if (eq > 0) {
                params.put(decode(param.substring(0, eq)), decode(param.substring(eq + 1)));
            }
        }
        int offset = 0;
        if (params.containsKey("cursor")) {
            String[] state = new String(Base64.getUrlDecoder().decode(params.get("cursor")), StandardCharsets.UTF_8)
                    .split("\\|", -1);
            offset = Integer.parseInt(state[0]);
            params.put("ticker", state[1]);
            params.put("published_utc.gte", state[2]);
            params.put("published_utc.lt", state[3]);
        }
        String ticker = params.get("ticker");
        Instant gte = Instant.parse(params.get("published_utc.gte"));
        Instant lt = Instant.parse(params.get("published_utc.lt"));
        List<Map.Entry<Instant, String>> window = new ArrayList<>();
        synchronized (this) {
            for (String raw : news) {
                try {
                    JsonNode node = JSON.readTree(raw);
                    Instant published = java.time.OffsetDateTime.parse(
                                    node.get("published_utc").asText())
                            .toInstant();
                    boolean about = false;
                    for (JsonNode t : node.get("tickers")) {
                        about |= t.asText().equals(ticker);
                    }
                    if (about && !published.isBefore(gte) && published.isBefore(lt)) {
                        window.add(Map.entry(published, raw));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        window.sort(Map.Entry.comparingByKey());
        int end = (int) Math.min(window.size(), (long) offset + pageSize);
        StringBuilder body = new StringBuilder("{\"status\":\"OK\",\"request_id\":\"x\",\"count\":")
                .append(end - offset)
                .append(",\"results\":[");
        for (int i = offset; i < end; i++) {
            body.append(i == offset ? "" : ",").append(window.get(i).getValue());
        }
        body.append(']');
        if (end < window.size()) {
            String cursor = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((end + "|" + ticker + "|" + gte + "|" + lt).getBytes(StandardCharsets.UTF_8));
            body.append(",\"next_url\":\"https://api.massive.com/v2/reference/news?cursor=")
                    .append(cursor)
                    .append('"');
        }
        return FakeResponse.ok(body.append('}').toString());
    }

    /** Makes {@code underlying} known, with a fixture file's JSON array of chain snapshot results. */
    public synchronized void addOptionsChain(String underlying, String resource) {
        bars.computeIfAbsent(underlying, t -> new TreeMap<>());
        chains.put(underlying, rawArray(resource));
    }

    /** Makes {@code ticker} known, with a fixture file's JSON array of financials results. */
    public synchronized void addFinancials(String ticker, String resource) {
        bars.computeIfAbsent(ticker, t -> new TreeMap<>());
        financials.put(ticker, rawArray(resource));
    }

    /** The elements of a fixture file's JSON array, each exactly as the file writes it. */
    public static List<String> rawArray(String resource) {
        return dev.marketdata.sources.provider.RawItems.of(
                ("{\"items\":" + FakeProviderServer.fixture(resource) + "}").getBytes(StandardCharsets.UTF_8), "items");
    }

    private static Map<String, String> params(RecordedRequest request) {
        Map<String, String> params = new TreeMap<>();
        String target = request.target();
        String query = target.contains("?") ? target.substring(target.indexOf('?') + 1) : "";
        for (String param : query.split("&")) {
            int eq = param.indexOf('=');
            if (eq > 0) {
                params.put(decode(param.substring(0, eq)), decode(param.substring(eq + 1)));
            }
        }
        return params;
    }

    /**
     * One page of {@code items} from the offset in {@code cursor} (the opaque cursor carries the offset and the
     * first request's query), with {@code next_url} on the real host when more remain.
     */
    private FakeResponse pageOf(String path, List<String> items, Map<String, String> params, int limit) {
        int offset = 0;
        if (params.containsKey("cursor")) {
            offset = Integer.parseInt(
                    new String(Base64.getUrlDecoder().decode(params.get("cursor")), StandardCharsets.UTF_8)
                            .split("\\|", -1)[0]);
        }
        int end = (int) Math.min(items.size(), (long) offset + Math.min(limit, pageSize));
        StringBuilder body = new StringBuilder("{\"status\":\"OK\",\"request_id\":\"x\",\"results\":[")
                .append(String.join(",", items.subList(offset, end)))
                .append(']');
        if (end < items.size()) {
            String cursor = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((end + "|"
                                    + params.entrySet().stream()
                                            .filter(e -> !e.getKey().equals("cursor"))
                                            .map(e -> e.getKey() + "=" + e.getValue())
                                            .reduce((a, b) -> a + "&" + b)
                                            .orElse(""))
                            .getBytes(StandardCharsets.UTF_8));
            body.append(",\"next_url\":\"https://api.massive.com")
                    .append(path)
                    .append("?cursor=")
                    .append(cursor)
                    .append('"');
        }
        return FakeResponse.ok(body.append('}').toString());
    }

    /** The first request's parameters, from the request or from the cursor that carries them. */
    private static Map<String, String> firstParams(RecordedRequest request) {
        Map<String, String> params = params(request);
        if (params.containsKey("cursor")) {
            String[] state = new String(Base64.getUrlDecoder().decode(params.get("cursor")), StandardCharsets.UTF_8)
                    .split("\\|", 2);
            for (String pair : state[1].split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.putIfAbsent(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return params;
    }

    private FakeResponse serveChain(RecordedRequest request, String underlying) {
        Map<String, String> params = firstParams(request);
        int limit = Integer.parseInt(params.getOrDefault("limit", "10"));
        if (limit < 1 || limit > 250) {
            return FakeResponse.json(
                    400,
                    "{\"status\":\"ERROR\",\"request_id\":\"x\",\"error\":\"limit must be " + "between 1 and 250\"}");
        }
        List<String> results;
        synchronized (this) {
            results = chains.getOrDefault(underlying, List.of());
        }
        return pageOf(request.path(), results, params, limit);
    }

    private FakeResponse serveFinancials(RecordedRequest request) {
        Map<String, String> params = firstParams(request);
        int limit = Integer.parseInt(params.getOrDefault("limit", "10"));
        if (limit < 1 || limit > 100) {
            return FakeResponse.json(
                    400,
                    "{\"status\":\"ERROR\",\"request_id\":\"x\",\"error\":\"limit must be " + "between 1 and 100\"}");
        }
        String gte = params.getOrDefault("filing_date.gte", "0000-01-01");
        String lte = params.getOrDefault("filing_date.lte", "9999-12-31");
        List<Map.Entry<String, String>> window = new ArrayList<>();
        synchronized (this) {
            for (String raw : financials.getOrDefault(params.getOrDefault("ticker", ""), List.of())) {
                try {
                    JsonNode filed = JSON.readTree(raw).get("filing_date");
                    if (filed != null
                            && filed.asText().compareTo(gte) >= 0
                            && filed.asText().compareTo(lte) <= 0) {
                        window.add(Map.entry(filed.asText(), raw));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        window.sort(Map.Entry.comparingByKey());
        return pageOf(request.path(), window.stream().map(Map.Entry::getValue).toList(), params, limit);
    }

    /** Makes {@code ticker} known, with a fixture file's JSON array of bars. */
    public void addFixture(String ticker, String resource) {
        try {
            JsonNode array = JSON.readTree(FakeProviderServer.fixture(resource));
            List<String> raws = new ArrayList<>();
            array.forEach(node -> raws.add(node.toString()));
            addBars(ticker, raws.toArray(String[]::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code count} one-minute bars of {@code ticker} from {@code start}, prices from a fixed formula so tests can
     * compute them again ({@link #minuteBar}).
     */
    public void addMinuteBars(String ticker, Instant start, int count) {
        String[] raws = new String[count];
        for (int i = 0; i < count; i++) {
            raws[i] = minuteBar(ticker, start.plusSeconds(60L * i), i);
        }
        addBars(ticker, raws);
    }

    /** The {@code i}-th generated bar of {@code ticker}, starting at {@code ts}, as the fake sends it. */
    public static String minuteBar(String ticker, Instant ts, int i) {
        String[] p = prices(ticker, i);
        return "{\"v\":" + (1000 + i) + ",\"vw\":" + p[4] + ",\"o\":" + p[0] + ",\"c\":" + p[3] + ",\"h\":" + p[1]
                + ",\"l\":" + p[2] + ",\"t\":" + ts.toEpochMilli() + ",\"n\":" + (10 + i) + "}";
    }

    /** The same bar as the job should store it. */
    public static Bar expectedMinuteBar(String ticker, Instant ts, int i) {
        String[] p = prices(ticker, i);
        return new Bar(
                ticker,
                "1m",
                ts,
                Double.parseDouble(p[0]),
                Double.parseDouble(p[1]),
                Double.parseDouble(p[2]),
                Double.parseDouble(p[3]),
                1000 + i,
                Double.parseDouble(p[4]),
                10L + i,
                "polygon");
    }

    /** Open, high, low, close and VWAP of the {@code i}-th generated bar, as decimal text. */
    private static String[] prices(String ticker, int i) {
        double base = 100 + (ticker.hashCode() & 0xff) + i * 0.01;
        return new String[] {
            String.format(Locale.ROOT, "%.2f", base), String.format(Locale.ROOT, "%.2f", base + 0.02),
            String.format(Locale.ROOT, "%.2f", base - 0.01), String.format(Locale.ROOT, "%.2f", base + 0.01),
            String.format(Locale.ROOT, "%.4f", base + 0.005)
        };
    }

    private FakeResponse serve(RecordedRequest request) {
        Matcher reference = REFERENCE.matcher(request.path());
        if (reference.matches()) {
            String ticker = decode(reference.group(1));
            synchronized (this) {
                if (!bars.containsKey(ticker)) {
                    return FakeResponse.json(
                            404, "{\"status\":\"NOT_FOUND\",\"request_id\":\"x\",\"message\":\"Ticker not found.\"}");
                }
            }
            return FakeResponse.ok("{\"results\":{\"ticker\":\"" + ticker + "\",\"market\":\"stocks\",\"active\":true},"
                    + "\"status\":\"OK\",\"request_id\":\"x\"}");
        }
        if (request.path().equals("/v2/reference/news")) {
            return serveNews(request);
        }
        if (request.path().startsWith("/v3/snapshot/options/")) {
            return serveChain(request, decode(request.path().substring("/v3/snapshot/options/".length())));
        }
        if (request.path().equals("/vX/reference/financials")) {
            return serveFinancials(request);
        }
        Matcher aggs = AGGS.matcher(request.path());
        if (!aggs.matches()) {
            return FakeResponse.json(404, "{\"status\":\"NOT_FOUND\",\"request_id\":\"x\",\"message\":\"no route\"}");
        }
        String ticker = decode(aggs.group(1));
        long from = Long.parseLong(aggs.group(4));
        long to = Long.parseLong(aggs.group(5));
        List<String> window = new ArrayList<>();
        synchronized (this) {
            TreeMap<Long, List<String>> byStart = bars.get(ticker);
            if (byStart != null) {
                byStart.subMap(from, true, to, true).values().forEach(window::addAll);
            }
        }
        int offset = 0;
        String query = request.target().contains("?")
                ? request.target().substring(request.target().indexOf('?') + 1)
                : "";
        for (String param : query.split("&")) {
            if (param.startsWith("cursor=")) {
                String decoded =
                        new String(Base64.getUrlDecoder().decode(decode(param.substring(7))), StandardCharsets.UTF_8);
                offset = Integer.parseInt(decoded.substring("offset=".length()));
            }
        }
        int end = (int) Math.min(window.size(), (long) offset + pageSize);
        StringBuilder body = new StringBuilder("{\"ticker\":\"")
                .append(ticker)
                .append("\",\"adjusted\":true,")
                .append("\"queryCount\":")
                .append(end - offset)
                .append(",\"resultsCount\":")
                .append(end - offset)
                .append(",\"status\":\"OK\",\"request_id\":\"x\"");
        if (end > offset) {
            body.append(",\"results\":[")
                    .append(String.join(",", window.subList(offset, end)))
                    .append(']');
        }
        if (end < window.size()) {
            String cursor = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(("offset=" + end).getBytes(StandardCharsets.UTF_8));
            body.append(",\"next_url\":\"https://api.massive.com")
                    .append(request.path())
                    .append("?cursor=")
                    .append(cursor)
                    .append('"');
        }
        return FakeResponse.ok(body.append('}').toString());
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.close();
    }
}
