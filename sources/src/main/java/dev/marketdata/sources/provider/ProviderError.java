package dev.marketdata.sources.provider;

import java.time.Duration;
import java.util.Optional;

/**
 * How the framework treats a non-2xx answer (or an unusable 2xx the protocol recognizes as an error), as
 * {@link BarsProtocol#readError} classifies it.
 *
 * @param kind what to do
 * @param status the HTTP status
 * @param message the provider's own message (from its error body), never containing credentials; e.g.
 *     {@code "Unknown API Key"}
 * @param retryAfter how long the provider asked to wait ({@code Retry-After}, {@code X-RateLimit-Reset}), if it
 *     said
 */
public record ProviderError(Kind kind, int status, String message, Optional<Duration> retryAfter) {

    public enum Kind {
        /** 429, 5xx, transient errors (IBKR "Chart data is not available"): back off and retry within the budget. */
        RETRYABLE,
        /**
         * The provider's session is gone (IBKR "no bridge"): pause, send {@link BarsProtocol#sessionRecovery()},
         * retry the same request within the budget.
         */
        SESSION,
        /** 401/403 (bad key, data not in the plan): fail the job at once with one line, no retries. */
        FATAL,
        /** A 4xx that says the request itself is wrong (e.g. 400 invalid parameter): fail the job at once too. */
        MALFORMED
    }

    public static ProviderError retryable(int status, String message, Optional<Duration> retryAfter) {
        return new ProviderError(Kind.RETRYABLE, status, message, retryAfter);
    }

    public static ProviderError session(int status, String message) {
        return new ProviderError(Kind.SESSION, status, message, Optional.empty());
    }

    public static ProviderError fatal(int status, String message) {
        return new ProviderError(Kind.FATAL, status, message, Optional.empty());
    }

    public static ProviderError malformed(int status, String message) {
        return new ProviderError(Kind.MALFORMED, status, message, Optional.empty());
    }
}
