package dev.marketdata.sources.provider.ibkr;

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Interactive Brokers Client Portal Web API historical bars ({@code GET /iserver/marketdata/history} through the
 * local gateway, default {@code https://localhost:5000/v1/api}), as a {@link BarsProtocol}.
 *
 * <p>Lookup: {@code GET /iserver/secdef/search?symbol=...&secType=STK}, read by {@link IbkrContracts}; the conid it
 * finds is the {@link BarQuery#providerId()}. Class shares are {@code BRK B} at IBKR ({@code BRK.B} here).
 *
 * <p>Bars: {@code conid}, {@code bar} ({@link IbkrBarSize}), {@code period} and {@code startTime}
 * ({@code YYYYMMDD-HH:mm:ss} UTC) of one {@link IbkrWindow}, {@code outsideRth}. Paging is by windows; the cursor
 * names the next window. Answers are read by {@link IbkrHistoryBody}.
 *
 * <p>Errors: {@code {"error":"..."}}. The brokerage session gone while the SSO session lives answers 400
 * {@code no bridge}, 401, or an empty body [S]: a {@link ProviderError.Kind#SESSION} error, recovered with
 * {@link #sessionRecovery()} and read back with {@link #readAuthStatus}. 429 (more than 5 concurrent history
 * requests), 5xx and the transient {@code Chart data is not available} are retried. No credentials: the gateway
 * holds the session; its self-signed certificate is the framework's business ({@code --ibkr-trust-self-signed}).
 * Sources: IBKR Client Portal Web API docs, Voyz/ibind; {@code /work/shared/providers.md} section 3.1.
 */
public final class IbkrBarsProtocol implements BarsProtocol {

    private static final long serialVersionUID = 1L;

    public static final Provider PROVIDER = Provider.IBKR;

    /** Default gateway base URL ({@code --ibkr-url}). */
    public static final String DEFAULT_URL = "https://localhost:5000/v1/api";

    /** The US listing exchanges a contract-search match must be on, by default. */
    public static final Set<String> DEFAULT_EXCHANGES = Set.of("NASDAQ", "NYSE", "ARCA", "AMEX", "BATS");

    static final String HISTORY_PATH = "/iserver/marketdata/history";

    static final String AUTH_STATUS_PATH = "/iserver/auth/status";

    /** One-minute windows are 8 hours: 480 bars, the most one request asks for (IBKR's limit is 1000 [S]). */
    static final int MAX_BARS_PER_REQUEST = 480;

    // The gateway's global limit is about 10 requests per second [U] (providers.md 3.1).
    private static final int GATEWAY_REQUESTS_PER_MINUTE = 600;

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final Set<String> exchanges;
    private final boolean outsideRth;

    /**
     * @param exchanges exchanges ({@code description} of a contract-search match) a ticker is taken from, e.g.
     *     {@link #DEFAULT_EXCHANGES}
     * @param outsideRth whether to ask for bars outside regular trading hours (the other providers include them)
     */
    public IbkrBarsProtocol(Set<String> exchanges, boolean outsideRth) {
        if (exchanges.isEmpty()) {
            throw new IllegalArgumentException("IBKR needs at least one exchange to take contracts from");
        }
        Set<String> upper = new LinkedHashSet<>();
        exchanges.forEach(e -> upper.add(e.strip().toUpperCase(Locale.ROOT)));
        this.exchanges = Set.copyOf(upper);
        this.outsideRth = outsideRth;
    }

    /** US listing exchanges, extended hours included. */
    public static IbkrBarsProtocol defaults() {
        return new IbkrBarsProtocol(DEFAULT_EXCHANGES, true);
    }

    @Override
    public Provider provider() {
        return PROVIDER;
    }

    @Override
    public int defaultRequestsPerMinute() {
        return GATEWAY_REQUESTS_PER_MINUTE;
    }

    @Override
    public int maxBarsPerPage() {
        return MAX_BARS_PER_REQUEST;
    }

    @Override
    public boolean supports(String timeframe) {
        return IbkrBarSize.supports(timeframe);
    }

    /** {@code BRK.B} → {@code BRK B}: IBKR writes class shares with a space. */
    static String ibkrSymbol(String ticker) {
        return ticker.replace('.', ' ');
    }

    @Override
    public HttpRequestSpec lookupRequest(String ticker) {
        return HttpRequestSpec.get("/iserver/secdef/search?symbol=" + encode(ibkrSymbol(ticker)) + "&secType=STK");
    }

    @Override
    public TickerLookup readLookup(String ticker, int status, byte[] body) {
        if (status == 404) {
            return new TickerLookup.Unknown(ticker, "ibkr contract search found no " + ibkrSymbol(ticker));
        }
        return IbkrContracts.read(ticker, ibkrSymbol(ticker), exchanges, parse(body, "contract search"));
    }

    @Override
    public HttpRequestSpec barsRequest(BarQuery query, Optional<String> cursor) {
        IbkrWindow window = window(query, cursor);
        return HttpRequestSpec.get(HISTORY_PATH + "?conid=" + encode(query.providerId())
                + "&bar=" + IbkrBarSize.of(query.timeframe())
                + "&period=" + window.period()
                + "&startTime=" + encode(window.startTime())
                + "&outsideRth=" + outsideRth);
    }

    /**
     * Reads an answer as the answer to the first window of {@code query}; the framework calls
     * {@link #readBars(BarQuery, Optional, byte[])}, which knows the window from the cursor.
     */
    @Override
    public BarsPage readBars(BarQuery query, byte[] body) {
        return readBars(query, Optional.empty(), body);
    }

    /**
     * Reads the answer to {@link #barsRequest}{@code (query, cursor)}.
     *
     * @throws IbkrAnswerException when the 200 is really an error (empty body: session gone; {@code error} field);
     *     the framework sees those first, through {@link #readErrorIn2xx}
     * @throws PayloadException when the body is not a history answer
     */
    @Override
    public BarsPage readBars(BarQuery query, Optional<String> cursor, byte[] body) {
        Optional<ProviderError> hidden = historyError(body);
        if (hidden.isPresent()) {
            throw new IbkrAnswerException(hidden.get());
        }
        JsonNode root = parse(body, "history");
        IbkrWindow window = window(query, cursor);
        IbkrHistoryBody.Page page = IbkrHistoryBody.read(query.ticker(), query.timeframe(), window, root);
        Optional<String> next = page.askBackward().isPresent()
                ? page.askBackward().map(IbkrWindow::cursor)
                : window.next(query.to()).map(IbkrWindow::cursor);
        return new BarsPage(page.bars(), page.rejects(), next);
    }

    /**
     * A history 200 that is an error: an empty body (the brokerage session is gone [S]) or {@code {"error":...}}
     * ("Chart data is not available" is transient [S]). Other requests' 200s are read by their readers.
     */
    @Override
    public Optional<ProviderError> readErrorIn2xx(HttpRequestSpec request, byte[] body) {
        return request.path().equals(HISTORY_PATH) ? historyError(body) : Optional.empty();
    }

    private static Optional<ProviderError> historyError(byte[] body) {
        if (body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
            return Optional.of(ProviderError.session(200, "empty answer (no brokerage session)"));
        }
        if (body[0] != '{' && !new String(body, StandardCharsets.UTF_8).strip().startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(body);
            if (root != null && root.isObject() && root.has("error")) {
                return Optional.of(classify(200, Map.of(), root.path("error").asText()));
            }
        } catch (IOException notJson) {
            // readBars says what is wrong with it
        }
        return Optional.empty();
    }

    private static IbkrWindow window(BarQuery query, Optional<String> cursor) {
        return cursor.map(IbkrWindow::ofCursor).orElseGet(() -> IbkrWindow.first(query.from(), query.to()));
    }

    @Override
    public ProviderError readError(int status, Map<String, List<String>> headers, byte[] body) {
        String message = errorText(body);
        return classify(status, headers, message);
    }

    private static ProviderError classify(int status, Map<String, List<String>> headers, String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        if (status == 401
                || lower.contains("no bridge")
                || lower.contains("not authenticated")
                || (status == 400 && message.isEmpty())) {
            return ProviderError.session(status, message.isEmpty() ? "empty answer (no brokerage session)" : message);
        }
        if (status == 429 || status >= 500 || lower.contains("chart data is not available")) {
            return ProviderError.retryable(
                    status, message.isEmpty() ? "HTTP " + status : message, RetryAfter.from(headers, Instant.now()));
        }
        if (status == 403) {
            return ProviderError.fatal(status, message.isEmpty() ? "forbidden" : message);
        }
        return ProviderError.malformed(status, message.isEmpty() ? "HTTP " + status : message);
    }

    @Override
    public void authenticate(Map<String, String> headers, Credentials credentials) {
        // The gateway holds the session (a browser login on its host); requests carry no credentials.
    }

    @Override
    public EmptyAnswer emptyAnswer() {
        return EmptyAnswer.SUSPECT_ON_TRADING_DAY;
    }

    /**
     * Re-opens the brokerage session: {@code POST /iserver/auth/ssodh/init?publish=true&compete=true}, then
     * {@code POST /iserver/auth/status} (read with {@link #readAuthStatus}), then {@code GET /iserver/accounts},
     * which IBKR requires before market data.
     */
    @Override
    public String untrustedCertificateHint() {
        return ": the Client Portal gateway's own certificate is self-signed; give --ibkr-trust-self-signed to "
                + "trust it";
    }

    @Override
    public List<HttpRequestSpec> sessionRecovery() {
        return List.of(
                new HttpRequestSpec(
                        "POST",
                        "/iserver/auth/ssodh/init?publish=true&compete=true",
                        Map.of("Accept", "application/json")),
                new HttpRequestSpec("POST", AUTH_STATUS_PATH, Map.of("Accept", "application/json")),
                HttpRequestSpec.get("/iserver/accounts"));
    }

    /**
     * Fails the job with {@link #HUMAN_LOGIN_NEEDED} when {@code /iserver/auth/status} says the SSO session itself
     * is gone; any other answer lets the framework retry the request (and recover again within its budget).
     */
    @Override
    public Optional<String> readSessionRecovery(HttpRequestSpec step, int status, byte[] body) {
        if (step.path().equals(AUTH_STATUS_PATH) && readAuthStatus(status, body) == SessionStatus.LOGIN_NEEDED) {
            return Optional.of(HUMAN_LOGIN_NEEDED);
        }
        return Optional.empty();
    }

    /** What {@code /iserver/auth/status} says. */
    public enum SessionStatus {
        /** {@code authenticated} and {@code connected}: retry the request. */
        AUTHENTICATED,
        /** Not yet: poll again (the gateway is still connecting). */
        CONNECTING,
        /**
         * No SSO session at all: only a person logging in through the gateway's browser page can fix it; fail with
         * {@link #HUMAN_LOGIN_NEEDED}.
         */
        LOGIN_NEEDED
    }

    /** The one line the job fails with when a person must log in to the gateway again. */
    public static final String HUMAN_LOGIN_NEEDED =
            "ibkr: the Client Portal gateway has no logged-in session; log in through the gateway's web page "
                    + "(--ibkr-url host) and run the backfill again";

    /**
     * Reads the answer of {@code POST /iserver/auth/status}: {@code {"authenticated":true,"connected":true,...}} is
     * {@link SessionStatus#AUTHENTICATED}; {@code connected} without {@code authenticated} is still
     * {@link SessionStatus#CONNECTING}; not {@code connected} (or a 401 whose body is given here) means the SSO
     * session itself is gone: {@link SessionStatus#LOGIN_NEEDED}.
     */
    public SessionStatus readAuthStatus(int status, byte[] body) {
        if (status == 401 || status == 403) {
            return SessionStatus.LOGIN_NEEDED;
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return SessionStatus.CONNECTING;
        }
        if (root == null || !root.isObject()) {
            return SessionStatus.CONNECTING;
        }
        if (root.path("authenticated").asBoolean(false)
                && root.path("connected").asBoolean(false)) {
            return SessionStatus.AUTHENTICATED;
        }
        return root.path("connected").asBoolean(false) ? SessionStatus.CONNECTING : SessionStatus.LOGIN_NEEDED;
    }

    private static String errorText(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        try {
            JsonNode root = JSON.readTree(text);
            if (root != null && root.path("error").isTextual()) {
                return root.path("error").asText();
            }
        } catch (IOException notJson) {
            // the raw text then
        }
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    private static JsonNode parse(byte[] body, String what) {
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new PayloadException("IBKR " + what + " answer is empty");
            }
            return root;
        } catch (IOException e) {
            throw new PayloadException("IBKR " + what + " answer is not JSON: " + reason(e));
        }
    }

    private static String reason(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException json
                ? json.getOriginalMessage()
                : e.getMessage();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
