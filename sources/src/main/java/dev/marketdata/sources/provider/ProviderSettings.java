package dev.marketdata.sources.provider;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a provider source needs besides its protocol: what to fetch and how to talk to the provider.
 *
 * @param baseUrl e.g. {@code https://api.massive.com}; request targets are appended to it (no trailing slash)
 * @param credentials sent in headers only, see {@link BarsProtocol#authenticate}
 * @param tickers the instruments, as stored
 * @param timeframe e.g. {@code 1m}, see {@link BarQuery#timeframe()}
 * @param from first instant wanted (inclusive, UTC)
 * @param to end (exclusive, UTC)
 * @param options provider options passed in every {@link BarQuery}, e.g. {@code feed=iex}
 * @param requestsPerMinute the whole job's cap on requests to this provider (all readers together)
 * @param http timeouts, retries and TLS of every request
 */
public record ProviderSettings(
        String baseUrl,
        Credentials credentials,
        List<String> tickers,
        String timeframe,
        Instant from,
        Instant to,
        Map<String, String> options,
        int requestsPerMinute,
        HttpSettings http)
        implements Serializable {

    public ProviderSettings {
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        tickers = List.copyOf(tickers);
        options = Map.copyOf(options);
        if (requestsPerMinute <= 0) {
            throw new IllegalArgumentException("requests per minute must be positive, got " + requestsPerMinute);
        }
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("empty window [" + from + ", " + to + ")");
        }
    }

    /**
     * @param connectTimeout TCP/TLS connect timeout of every request
     * @param requestTimeout the longest a whole answer (headers and body) may take; a hung request fails then and
     *     is retried like a 5xx
     * @param retryBudget how long one request may keep failing with retryable errors before the task fails
     * @param initialBackoff first wait after a failure when the provider says nothing; doubles each retry, with
     *     jitter
     * @param maxBackoff the longest wait between two attempts when the provider says nothing
     * @param emptyRetries how often a suspect empty answer ({@link EmptyAnswer#SUSPECT_ON_TRADING_DAY}) is asked
     *     again before it is believed
     * @param trustSelfSigned also trust a self-signed certificate, whatever host it names (the IBKR gateway's own; see
     *     {@code SelfSignedTrust}); off unless asked for
     */
    public record HttpSettings(
            Duration connectTimeout,
            Duration requestTimeout,
            Duration retryBudget,
            Duration initialBackoff,
            Duration maxBackoff,
            int emptyRetries,
            boolean trustSelfSigned)
            implements Serializable {

        public static HttpSettings defaults() {
            return new HttpSettings(
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(60),
                    Duration.ofMinutes(10),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(60),
                    3,
                    false);
        }
    }
}
