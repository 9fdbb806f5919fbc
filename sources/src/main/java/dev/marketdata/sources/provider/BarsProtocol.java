package dev.marketdata.sources.provider;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The wire protocol of one provider's historical bars, and nothing else: which requests to send and what their
 * answers mean. Pure: no I/O, no clock other than the one passed in, no state, so it is unit-tested on bytes and
 * shipped to every reader. The FLIP-27 {@code ProviderSource} does the rest (HTTP, timeouts, retries, rate limit,
 * splits, checkpoints, metrics), the same for every provider.
 *
 * <p>Flow for each ticker: {@link #lookupRequest} once per job, {@link #readLookup}; then for each split of the
 * known ones {@link #barsRequest} with an empty cursor, {@link #readBars}, and again with
 * {@link BarsPage#nextCursor()} until it is empty. Any non-2xx answer goes to {@link #readError}.
 *
 * <p>Implementations: {@code PolygonProtocol}; Alpaca and IBKR on their own branch. Facts from
 * {@code providers.md}.
 */
public interface BarsProtocol extends Serializable {

    Provider provider();

    /**
     * The documented request rate of a paid plan, the default of {@code --requests-per-minute}: the whole job
     * together stays under it.
     */
    int defaultRequestsPerMinute();

    /**
     * The most bars one bars response holds, so that a split (one page at most) is never longer than this many
     * bars of its timeframe; splits are also never longer than one New York day.
     */
    int maxBarsPerPage();

    /** Whether {@link #barsRequest} supports {@code timeframe} (e.g. {@code 1m}, {@code 1h}, {@code 1d}). */
    boolean supports(String timeframe);

    /** The request that looks {@code ticker} up (Polygon ticker reference, Alpaca assets, IBKR contract search). */
    HttpRequestSpec lookupRequest(String ticker);

    /**
     * Reads a lookup answer. Called for 2xx, and for a 404 (a provider may say "unknown" that way).
     *
     * @throws PayloadException when the body cannot be read
     */
    TickerLookup readLookup(String ticker, int status, byte[] body);

    /**
     * The request for one page of bars.
     *
     * @param cursor empty for the first page, else {@link BarsPage#nextCursor()} of the page before (for Polygon
     *     the path and query of {@code next_url}, sent to the configured base URL)
     * @throws IllegalArgumentException when the cursor is unusable (e.g. a {@code next_url} with a broken host):
     *     the framework fails the split with that message
     */
    HttpRequestSpec barsRequest(BarQuery query, Optional<String> cursor);

    /**
     * Reads one 2xx bars answer. Absent or {@code null} results are an empty page, not an error.
     *
     * @throws PayloadException when the body cannot be read at all
     */
    BarsPage readBars(BarQuery query, byte[] body);

    /**
     * Reads one 2xx bars answer to {@link #barsRequest}{@code (query, cursor)}: for a protocol whose next cursor
     * depends on the request's own (IBKR: the next time window, and which way {@code startTime} is read). The
     * framework calls this one; the default ignores the cursor.
     *
     * @throws PayloadException when the body cannot be read at all
     */
    default BarsPage readBars(BarQuery query, Optional<String> cursor, byte[] body) {
        return readBars(query, body);
    }

    /**
     * The base URL of {@link #lookupRequest} when the provider serves its lookup from another host than its bars
     * (Alpaca's assets are on the trading API, its bars on the data API); empty: the configured base URL.
     */
    default Optional<String> lookupBaseUrl() {
        return Optional.empty();
    }

    /**
     * An error hidden in a 2xx answer (IBKR answers a lost session with an empty 200, and "Chart data is not
     * available" as a JSON error): the framework then treats the answer like a non-2xx one classified so.
     */
    default Optional<ProviderError> readErrorIn2xx(HttpRequestSpec request, byte[] body) {
        return Optional.empty();
    }

    /**
     * Reads the answer to one {@link #sessionRecovery()} step: the one line to fail the job with when the session
     * cannot come back without a person (IBKR: no SSO session, log in through the gateway's page), else empty.
     */
    default Optional<String> readSessionRecovery(HttpRequestSpec step, int status, byte[] body) {
        return Optional.empty();
    }

    /**
     * Classifies a non-2xx answer.
     *
     * @param headers response headers (names in any case; see {@link RetryAfter})
     */
    ProviderError readError(int status, Map<String, List<String>> headers, byte[] body);

    /**
     * Adds the credentials to the headers of an outgoing request (never to its path or query). The map is the
     * request's alone; nothing else ever sees it.
     */
    void authenticate(Map<String, String> headers, Credentials credentials);

    /** What a 2xx answer without bars means. */
    EmptyAnswer emptyAnswer();

    /**
     * The requests that re-establish a lost session ({@link ProviderError.Kind#SESSION}), sent in order before the
     * failed request is retried; empty when the provider has no session (then a session error is retried like a
     * 5xx). IBKR: {@code POST /iserver/auth/ssodh/init}, {@code POST /iserver/auth/status},
     * {@code GET /iserver/accounts}.
     */
    default List<HttpRequestSpec> sessionRecovery() {
        return List.of();
    }

    /**
     * Appended to the one line a job fails with when the server's TLS certificate is not trusted, to say what to do
     * (IBKR: the gateway's self-signed certificate and {@code --ibkr-trust-self-signed}); empty by default.
     */
    default String untrustedCertificateHint() {
        return "";
    }
}
