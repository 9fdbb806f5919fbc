package dev.marketdata.sources.provider.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake Alpaca, speaking providers.md section 2 on two hosts as the real one does: the <em>data</em> host
 * ({@code GET /v2/stocks/{symbol}/bars}) and the <em>trading</em> host ({@code GET /v2/assets/{symbol}}: the asset,
 * or 404 {@code asset not found}). Each host answers only its own paths, so a lookup sent to the data host finds
 * nothing.
 *
 * <p>Both hosts require the two headers {@code APCA-API-KEY-ID: }{@link #KEY_ID} and
 * {@code APCA-API-SECRET-KEY: }{@link #SECRET}, else 403 {@code {"message":"forbidden."}}. Bars are kept per feed:
 * {@code feed=iex} serves the IEX bars, {@code feed=sip} <em>or no feed at all</em> the SIP ones (Alpaca's REST
 * default), so a client that forgot the feed stores other bars. {@code start} and {@code end} are inclusive,
 * RFC 3339; {@code limit} (1-10000) and {@link #pageSize} cap a page, then {@code next_page_token} (opaque base64)
 * leads on and is {@code null} on the last page. A symbol without bars gets {@code {"bars":null,...}}, also an
 * unknown one (Alpaca's empty 200). Unknown {@code timeframe} values get 422. Awkward answers are scripted through
 * {@link #data()} per test. Option chains ({@code GET /v1beta1/options/snapshots/{underlying}}, section 2.4): a
 * fixture's {@code snapshots} object per underlying and feed ({@code opra} or {@code indicative}; a request without
 * {@code feed} gets the {@code indicative} one, what an account without an OPRA subscription gets), at most
 * {@link #pageSize} contracts a page, then {@code next_page_token}; an unknown underlying gets
 * {@code {"snapshots":{},"next_page_token":null}}.
 */
public final class FakeAlpacaServer implements AutoCloseable {

    public static final String KEY_ID = "PKFAKE0123456789";
    public static final String SECRET = "sk_FAKE_alpaca_s3cr3t_abcdef";

    public static final String FORBIDDEN = "{\"message\":\"forbidden.\"}";
    public static final String RATE_LIMITED = "{\"message\":\"too many requests.\"}";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BARS = Pattern.compile("/v2/stocks/([^/]+)/bars");
    private static final Pattern ASSETS = Pattern.compile("/v2/assets/([^/]+)");
    private static final Set<String> TIMEFRAMES = Set.of("1Min", "5Min", "15Min", "30Min", "1Hour", "1Day");

    private final FakeProviderServer data = new FakeProviderServer();
    private final FakeProviderServer trading = new FakeProviderServer();
    /** feed to symbol to (start to raw bar JSON). */
    private final Map<String, Map<String, TreeMap<Instant, String>>> bars = new LinkedHashMap<>();

    private final Map<String, String> assets = new LinkedHashMap<>();
    private volatile int pageSize = Integer.MAX_VALUE;
    /** feed|underlying to contract to the raw member text {@code "contract":{...}}, in the fixture's order. */
    private final Map<String, Map<String, String>> chains = new LinkedHashMap<>();
    /** Raw news items as added (section 2.3), answered by {@code /v1beta1/news}. */
    private final List<String> news = new ArrayList<>();

    public FakeAlpacaServer() {
        for (FakeProviderServer host : List.of(data, trading)) {
            host.requireAuth(
                    r -> KEY_ID.equals(r.header("APCA-API-KEY-ID")) && SECRET.equals(r.header("APCA-API-SECRET-KEY")),
                    FakeResponse.json(403, FORBIDDEN));
        }
        data.fallback(this::serveBars);
        trading.fallback(this::serveAsset);
    }

    /** The data host ({@code --alpaca-url}). */
    public FakeProviderServer data() {
        return data;
    }

    /** The trading host ({@code --alpaca-trading-url}). */
    public FakeProviderServer trading() {
        return trading;
    }

    /** Pages hold at most {@code n} bars. */
    public void pageSize(int n) {
        this.pageSize = n;
    }

    /** Makes {@code symbol} a known {@code us_equity} asset. */
    public synchronized void addAsset(String symbol) {
        assets.put(
                symbol,
                "{\"id\":\"" + java.util.UUID.nameUUIDFromBytes(symbol.getBytes(StandardCharsets.UTF_8))
                        + "\",\"class\":\"us_equity\",\"exchange\":\"NASDAQ\",\"symbol\":\"" + symbol
                        + "\",\"name\":\"" + symbol + " Inc.\",\"status\":\"active\",\"tradable\":true}");
    }

    /** Makes {@code symbol} known and gives it bars of {@code feed} (raw JSON objects with an RFC 3339 {@code t}). */
    public synchronized void addBars(String feed, String symbol, String... rawBars) {
        if (!assets.containsKey(symbol)) {
            addAsset(symbol);
        }
        TreeMap<Instant, String> byStart =
                bars.computeIfAbsent(feed, f -> new LinkedHashMap<>()).computeIfAbsent(symbol, s -> new TreeMap<>());
        for (String raw : rawBars) {
            try {
                byStart.put(Instant.parse(JSON.readTree(raw).get("t").asText()), raw);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * {@code count} one-minute bars of {@code symbol} on {@code feed} from {@code start}; {@link #minuteBar} gives
     * each again. IEX and SIP bars of the same minute differ (SIP volume is ten times IEX's).
     */
    public void addMinuteBars(String feed, String symbol, Instant start, int count) {
        String[] raws = new String[count];
        for (int i = 0; i < count; i++) {
            raws[i] = minuteBar(feed, symbol, start.plusSeconds(60L * i), i);
        }
        addBars(feed, symbol, raws);
    }

    /** The {@code i}-th generated bar; {@code vw} and {@code n} are left out of every fifth. */
    public static String minuteBar(String feed, String symbol, Instant ts, int i) {
        double base = 50 + (symbol.hashCode() & 0x7f) + i * 0.01;
        long volume = (100 + i) * (feed.equals("sip") ? 10L : 1L);
        String extra = i % 5 == 4 ? "" : String.format(Locale.ROOT, ",\"n\":%d,\"vw\":%.4f", 5 + i, base + 0.005);
        return String.format(
                Locale.ROOT,
                "{\"t\":\"%s\",\"o\":%.2f,\"h\":%.2f,\"l\":%.2f,\"c\":%.2f,\"v\":%d%s}",
                ts,
                base,
                base + 0.02,
                base - 0.01,
                base + 0.01,
                volume,
                extra);
    }

    /** The bar {@link #minuteBar} describes, as the Alpaca protocol reads it: every number as the fake wrote it. */
    public static dev.marketdata.sources.model.Bar expectedMinuteBar(String feed, String symbol, Instant ts, int i) {
        double base = 50 + (symbol.hashCode() & 0x7f) + i * 0.01;
        boolean full = i % 5 != 4;
        return new dev.marketdata.sources.model.Bar(
                symbol,
                "1m",
                ts,
                decimals(base, 2),
                decimals(base + 0.02, 2),
                decimals(base - 0.01, 2),
                decimals(base + 0.01, 2),
                (100 + i) * (feed.equals("sip") ? 10 : 1),
                full ? Double.valueOf(decimals(base + 0.005, 4)) : null,
                full ? Long.valueOf(5 + i) : null,
                "alpaca");
    }

    /** {@code count} of {@link #expectedMinuteBar} from {@code start}. */
    public static List<dev.marketdata.sources.model.Bar> expectedMinuteBars(
            String feed, String symbol, Instant start, int count) {
        List<dev.marketdata.sources.model.Bar> bars = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bars.add(expectedMinuteBar(feed, symbol, start.plusSeconds(60L * i), i));
        }
        return bars;
    }

    static double decimals(double v, int digits) {
        return Double.parseDouble(String.format(Locale.ROOT, "%." + digits + "f", v));
    }

    private FakeResponse serveAsset(RecordedRequest request) {
        Matcher m = ASSETS.matcher(request.path());
        if (!m.matches()) {
            return FakeResponse.json(404, "{\"message\":\"Not Found\"}");
        }
        String symbol = decode(m.group(1));
        String asset;
        synchronized (this) {
            asset = assets.get(symbol);
        }
        return asset == null
                ? FakeResponse.json(404, "{\"code\":40410000,\"message\":\"asset not found for " + symbol + "\"}")
                : FakeResponse.ok(asset);
    }

    /**
     * Adds news items (raw JSON objects with {@code created_at} and {@code symbols}, sent as given, oldest first
     * with {@code sort=ASC}) and makes each of their symbols a known asset.
     */
    public synchronized void addNews(String... rawItems) {
        for (String raw : rawItems) {
            try {
                JSON.readTree(raw).get("symbols").forEach(s -> {
                    if (!assets.containsKey(s.asText())) {
                        addAsset(s.asText());
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            news.add(raw);
        }
    }

    private FakeResponse serveNews(RecordedRequest request) {
        Map<String, String> query = query(request.target());
        String symbol = query.getOrDefault("symbols", "");
        Instant start = Instant.parse(query.get("start"));
        Instant end = Instant.parse(query.get("end"));
        int limit = Integer.parseInt(query.getOrDefault("limit", "10"));
        if (limit < 1 || limit > 50) {
            return FakeResponse.json(422, "{\"message\":\"invalid limit\"}");
        }
        List<Map.Entry<Instant, String>> window = new ArrayList<>();
        synchronized (this) {
            for (String raw : news) {
                try {
                    JsonNode node = JSON.readTree(raw);
                    Instant created = Instant.parse(node.get("created_at").asText());
                    boolean about = false;
                    for (JsonNode s : node.get("symbols")) {
                        about |= s.asText().equals(symbol);
                    }
                    if (about && !created.isBefore(start) && !created.isAfter(end)) {
                        window.add(Map.entry(created, raw));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        window.sort(Map.Entry.comparingByKey());
        int offset = 0;
        if (query.containsKey("page_token")) {
            String token = new String(Base64.getDecoder().decode(query.get("page_token")), StandardCharsets.UTF_8);
            offset = Integer.parseInt(token.substring(token.indexOf('|') + 1));
        }
        int last = (int) Math.min(window.size(), (long) offset + Math.min(limit, pageSize));
        String next = last < window.size()
                ? "\"" + Base64.getEncoder().encodeToString(("news|" + last).getBytes(StandardCharsets.UTF_8)) + "\""
                : "null";
        List<String> items = new ArrayList<>();
        window.subList(offset, last).forEach(e -> items.add(e.getValue()));
        return FakeResponse.ok("{\"news\":[" + String.join(",", items) + "],\"next_page_token\":" + next + "}");
    }

    /** Makes {@code underlying} a known asset whose chain on {@code feed} is a fixture file's {@code snapshots}. */
    public synchronized void addOptionsChain(String feed, String underlying, String resource) {
        if (!assets.containsKey(underlying)) {
            addAsset(underlying);
        }
        // Each member exactly as the file writes it ("contract":{...}), so the client reads the fixture's own text.
        chains.put(
                feed + "|" + underlying,
                dev.marketdata.sources.provider.RawItems.members(
                        FakeProviderServer.fixture(resource).getBytes(StandardCharsets.UTF_8), "snapshots"));
    }

    private FakeResponse serveChain(RecordedRequest request, String underlying) {
        Map<String, String> query = query(request.target());
        String feed = query.getOrDefault("feed", "indicative");
        if (!feed.equals("opra") && !feed.equals("indicative")) {
            return FakeResponse.json(400, "{\"message\":\"invalid feed\"}");
        }
        List<Map.Entry<String, String>> contracts;
        synchronized (this) {
            contracts = List.copyOf(
                    chains.getOrDefault(feed + "|" + underlying, Map.of()).entrySet());
        }
        int offset = 0;
        if (query.containsKey("page_token")) {
            String token = new String(Base64.getDecoder().decode(query.get("page_token")), StandardCharsets.UTF_8);
            if (!token.startsWith(underlying + "|")) {
                return FakeResponse.json(400, "{\"message\":\"invalid page_token\"}");
            }
            offset = Integer.parseInt(token.substring(underlying.length() + 1));
        }
        int last = (int) Math.min(contracts.size(), (long) offset + pageSize);
        String next = last < contracts.size()
                ? "\"" + Base64.getEncoder().encodeToString((underlying + "|" + last).getBytes(StandardCharsets.UTF_8))
                        + "\""
                : "null";
        List<String> members = new ArrayList<>();
        contracts.subList(offset, last).forEach(e -> members.add(e.getValue()));
        return FakeResponse.ok("{\"snapshots\":{" + String.join(",", members) + "},\"next_page_token\":" + next + "}");
    }

    private FakeResponse serveBars(RecordedRequest request) {
        if (request.path().equals("/v1beta1/news")) {
            return serveNews(request);
        }
        if (request.path().startsWith("/v1beta1/options/snapshots/")) {
            return serveChain(request, decode(request.path().substring("/v1beta1/options/snapshots/".length())));
        }
        Matcher m = BARS.matcher(request.path());
        if (!m.matches()) {
            return FakeResponse.json(404, "{\"message\":\"Not Found\"}");
        }
        String symbol = decode(m.group(1));
        Map<String, String> query = query(request.target());
        if (!TIMEFRAMES.contains(query.getOrDefault("timeframe", ""))) {
            return FakeResponse.json(422, "{\"message\":\"invalid timeframe\"}");
        }
        Instant start;
        Instant end;
        int limit;
        try {
            start = Instant.parse(query.get("start"));
            end = Instant.parse(query.get("end"));
            limit = Integer.parseInt(query.getOrDefault("limit", "1000"));
        } catch (RuntimeException e) {
            return FakeResponse.json(422, "{\"message\":\"invalid start, end or limit\"}");
        }
        if (limit < 1 || limit > 10_000) {
            return FakeResponse.json(422, "{\"message\":\"invalid limit: must be between 1 and 10000\"}");
        }
        String feed = query.getOrDefault("feed", "sip");
        List<String> window = new ArrayList<>();
        synchronized (this) {
            TreeMap<Instant, String> byStart = bars.getOrDefault(feed, Map.of()).get(symbol);
            if (byStart != null) {
                window.addAll(byStart.subMap(start, true, end, true).values());
            }
        }
        int offset = 0;
        if (query.containsKey("page_token")) {
            String token = new String(Base64.getDecoder().decode(query.get("page_token")), StandardCharsets.UTF_8);
            if (!token.startsWith(symbol + "|")) {
                return FakeResponse.json(400, "{\"message\":\"invalid page_token\"}");
            }
            offset = Integer.parseInt(token.substring(symbol.length() + 1));
        }
        int last = (int) Math.min(window.size(), (long) offset + Math.min(limit, pageSize));
        String next = last < window.size()
                ? "\"" + Base64.getEncoder().encodeToString((symbol + "|" + last).getBytes(StandardCharsets.UTF_8))
                        + "\""
                : "null";
        String items = last > offset ? "[" + String.join(",", window.subList(offset, last)) + "]" : "null";
        return FakeResponse.ok(
                "{\"bars\":" + items + ",\"symbol\":\"" + symbol + "\",\"next_page_token\":" + next + "}");
    }

    static Map<String, String> query(String target) {
        Map<String, String> params = new LinkedHashMap<>();
        int q = target.indexOf('?');
        if (q < 0) {
            return params;
        }
        for (String pair : target.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        return params;
    }

    static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        data.close();
        trading.close();
    }
}
