package dev.marketdata.sources.provider.fake;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake IBKR Client Portal gateway, speaking providers.md section 3.1: the contract search
 * ({@code /iserver/secdef/search?symbol=...&secType=STK}, the scripted matches of a symbol, else {@code []}), the
 * history ({@code /iserver/marketdata/history?conid&bar&period&startTime&outsideRth}, the documented answer shape,
 * {@code t} epoch ms, {@code v} divided by {@link #volumeFactor}), and the session endpoints.
 *
 * <p>Which way {@code startTime} points is undocumented, so the fake reads it either way ({@link #countsBack}):
 * forward, the answer covers {@code [startTime, startTime + period)}; counting back, {@code [startTime - period,
 * startTime]}. At most 1000 points per answer. More than {@link #MAX_CONCURRENT} history requests at once get 429.
 *
 * <p>Session: while the brokerage session is down ({@link #dropBridge}), history answers 400
 * {@code {"error":"no bridge"}}; {@code POST /iserver/auth/ssodh/init} brings it back unless the SSO session is gone
 * too ({@link #dropSso}: then only a person could log in, and {@code /iserver/auth/status} says
 * {@code "connected":false}).
 */
public final class FakeIbkrServer implements AutoCloseable {

    /** The gateway's limit on concurrent history requests. */
    public static final int MAX_CONCURRENT = 5;

    private static final DateTimeFormatter START_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HH:mm:ss");

    private final FakeProviderServer http;
    private final Map<String, String> searches = new LinkedHashMap<>();
    /** conid to (start to raw data item). */
    private final Map<String, TreeMap<Instant, String>> bars = new LinkedHashMap<>();

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger tooMany = new AtomicInteger();
    private volatile boolean countsBack;
    private volatile boolean bridge = true;
    private volatile boolean sso = true;
    private volatile int volumeFactor = 1;
    private volatile Duration historyDelay = Duration.ZERO;
    private volatile Duration othersBusyFor = Duration.ZERO;
    private volatile long othersBusyUntilNanos;

    public FakeIbkrServer() {
        this(null);
    }

    /** A gateway speaking HTTPS with {@code tls} (as the real one does, with its own certificate); HTTP when null. */
    public FakeIbkrServer(javax.net.ssl.SSLContext tls) {
        http = new FakeProviderServer(tls);
        http.fallback(this::serve);
    }

    public FakeProviderServer http() {
        return http;
    }

    public String baseUrl() {
        return http.baseUrl();
    }

    /** Reads {@code startTime} as the end of the period (true) or its start (false, the default). */
    public void countsBack(boolean backward) {
        this.countsBack = backward;
    }

    /** Answers {@code v} in units of {@code factor} shares, saying so in {@code volumeFactor}. */
    public void volumeFactor(int factor) {
        this.volumeFactor = factor;
    }

    /** Each history answer takes this long (so that concurrent requests overlap). */
    public void historyDelay(Duration delay) {
        this.historyDelay = delay;
    }

    /**
     * From the first history request on, for {@code duration}, other clients of the same gateway hold all
     * {@link #MAX_CONCURRENT} history slots: every history request gets 429 meanwhile.
     */
    public void othersBusyFor(Duration duration) {
        this.othersBusyFor = duration;
    }

    /** The brokerage session goes away (the SSO session stays): history answers {@code no bridge}. */
    public void dropBridge() {
        bridge = false;
    }

    /** The SSO session goes away too: nothing but a person's login brings it back. */
    public void dropSso() {
        sso = false;
        bridge = false;
    }

    /** How many history requests got 429 for going over {@link #MAX_CONCURRENT}. */
    public int tooManyRequests() {
        return tooMany.get();
    }

    /** The contract search answer (a JSON array) for {@code symbol} as IBKR writes it ({@code BRK B}). */
    public synchronized void addSearch(String symbol, String matchesJson) {
        searches.put(symbol, matchesJson);
    }

    /** Bars of {@code conid}: {@code {"o":..,"c":..,"h":..,"l":..,"v":..,"t":<ms>}} items. */
    public synchronized void addBars(String conid, String... rawItems) {
        TreeMap<Instant, String> byStart = bars.computeIfAbsent(conid, c -> new TreeMap<>());
        for (String raw : rawItems) {
            long t = Long.parseLong(raw.replaceAll(".*\"t\":([0-9]+).*", "$1"));
            byStart.put(Instant.ofEpochMilli(t), raw);
        }
    }

    /** {@code count} one-minute bars of {@code conid} from {@code start}; {@link #minuteItem} gives each again. */
    public void addMinuteBars(String conid, Instant start, int count) {
        String[] raws = new String[count];
        for (int i = 0; i < count; i++) {
            raws[i] = minuteItem(start.plusSeconds(60L * i), i, volumeFactor);
        }
        addBars(conid, raws);
    }

    /** The {@code i}-th generated item; its volume is {@code (300 + i) / factor}. */
    public static String minuteItem(Instant ts, int i, int factor) {
        double base = 170 + i * 0.01;
        return String.format(
                Locale.ROOT,
                "{\"o\":%.2f,\"c\":%.2f,\"h\":%.2f,\"l\":%.2f,\"v\":%s,\"t\":%d}",
                base,
                base + 0.01,
                base + 0.02,
                base - 0.01,
                new java.math.BigDecimal(300 + i)
                        .divide(java.math.BigDecimal.valueOf(factor))
                        .toPlainString(),
                ts.toEpochMilli());
    }

    /**
     * The bar {@link #minuteItem} describes, as the IBKR protocol reads it for {@code symbol}: volume back in
     * shares whatever the factor, no VWAP or trade count.
     */
    public static dev.marketdata.sources.model.Bar expectedMinuteBar(String symbol, Instant ts, int i) {
        double base = 170 + i * 0.01;
        return new dev.marketdata.sources.model.Bar(
                symbol,
                "1m",
                ts,
                FakeAlpacaServer.decimals(base, 2),
                FakeAlpacaServer.decimals(base + 0.02, 2),
                FakeAlpacaServer.decimals(base - 0.01, 2),
                FakeAlpacaServer.decimals(base + 0.01, 2),
                300 + i,
                null,
                null,
                "ibkr");
    }

    /** {@code count} of {@link #expectedMinuteBar} from {@code start}. */
    public static List<dev.marketdata.sources.model.Bar> expectedMinuteBars(String symbol, Instant start, int count) {
        List<dev.marketdata.sources.model.Bar> bars = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bars.add(expectedMinuteBar(symbol, start.plusSeconds(60L * i), i));
        }
        return bars;
    }

    private FakeResponse serve(RecordedRequest request) {
        Map<String, String> query = FakeAlpacaServer.query(request.target());
        switch (request.path()) {
            case "/iserver/secdef/search" -> {
                synchronized (this) {
                    return FakeResponse.ok(searches.getOrDefault(query.getOrDefault("symbol", ""), "[]"));
                }
            }
            case "/iserver/auth/ssodh/init" -> {
                if (!"POST".equals(request.method())) {
                    return FakeResponse.json(405, "{\"error\":\"method not allowed\"}");
                }
                bridge = sso;
                return FakeResponse.ok(status());
            }
            case "/iserver/auth/status" -> {
                return FakeResponse.ok(status());
            }
            case "/iserver/accounts" -> {
                return FakeResponse.ok("{\"accounts\":[\"DU1234567\"],\"selectedAccount\":\"DU1234567\"}");
            }
            case "/iserver/marketdata/history" -> {
                synchronized (this) {
                    if (!othersBusyFor.isZero()) {
                        othersBusyUntilNanos = System.nanoTime() + othersBusyFor.toNanos();
                        othersBusyFor = Duration.ZERO;
                    }
                }
                boolean othersBusy = System.nanoTime() < othersBusyUntilNanos;
                if (inFlight.incrementAndGet() > (othersBusy ? 0 : MAX_CONCURRENT)) {
                    inFlight.decrementAndGet();
                    tooMany.incrementAndGet();
                    return FakeResponse.json(429, "{\"error\":\"Too many requests\"}");
                }
                try {
                    if (!historyDelay.isZero()) {
                        Thread.sleep(historyDelay.toMillis());
                    }
                    return history(query);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return FakeResponse.json(500, "{\"error\":\"interrupted\"}");
                } finally {
                    inFlight.decrementAndGet();
                }
            }
            default -> {
                return FakeResponse.json(404, "{\"error\":\"no route\"}");
            }
        }
    }

    private String status() {
        return "{\"authenticated\":" + bridge + ",\"competing\":false,\"connected\":" + sso
                + ",\"message\":\"\",\"MAC\":\"00:00:00:00:00:00\"}";
    }

    private FakeResponse history(Map<String, String> query) {
        if (!bridge) {
            return FakeResponse.json(400, "{\"error\":\"no bridge\",\"statusCode\":400}");
        }
        Duration period = period(query.getOrDefault("period", "1w"));
        Instant reference;
        try {
            reference = LocalDateTime.parse(query.get("startTime"), START_TIME).toInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            return FakeResponse.json(400, "{\"error\":\"startTime is invalid\"}");
        }
        Instant from = countsBack ? reference.minus(period) : reference;
        Instant to = countsBack ? reference : reference.plus(period);
        List<String> items = new ArrayList<>();
        synchronized (this) {
            TreeMap<Instant, String> byStart = bars.get(query.getOrDefault("conid", ""));
            if (byStart != null) {
                items.addAll(byStart.subMap(from, true, to, countsBack).values());
            }
        }
        if (items.size() > 1000) {
            items = countsBack ? items.subList(items.size() - 1000, items.size()) : items.subList(0, 1000);
        }
        return FakeResponse.ok("{\"serverId\":\"20477\",\"symbol\":\"X\",\"text\":\"X\",\"priceFactor\":100,"
                + "\"startTime\":\"" + START_TIME.format(LocalDateTime.ofInstant(from, ZoneOffset.UTC)) + "\","
                + "\"timePeriod\":\"" + query.get("period") + "\",\"barLength\":60,\"mdAvailability\":\"S\","
                + "\"mktDataDelay\":0,\"outsideRth\":" + query.get("outsideRth") + ",\"volumeFactor\":" + volumeFactor
                + ",\"direction\":-1,\"negativeCapable\":false,\"messageVersion\":2,\"data\":["
                + String.join(",", items) + "],\"points\":" + items.size() + ",\"travelTime\":12}");
    }

    private static Duration period(String text) {
        if (text.endsWith("min")) {
            return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 3)));
        }
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            case 'w' -> Duration.ofDays(7 * n);
            default -> throw new IllegalArgumentException("period " + text);
        };
    }

    @Override
    public void close() {
        http.close();
    }
}
