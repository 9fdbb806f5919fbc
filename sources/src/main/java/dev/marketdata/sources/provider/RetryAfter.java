package dev.marketdata.sources.provider;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads how long a provider asked the client to wait: {@code Retry-After} (delay in seconds, or an HTTP date,
 * RFC 9110 section 10.2.3) or {@code X-RateLimit-Reset} (epoch seconds, Alpaca's trading API). No provider
 * promises either (providers.md), so an absent or unreadable header is simply empty.
 */
public final class RetryAfter {

    private RetryAfter() {}

    /**
     * @param headers response headers, names in any case
     * @param now the current time, for the absolute forms
     * @return the wait, never negative, or empty when no header says
     */
    public static Optional<Duration> from(Map<String, List<String>> headers, Instant now) {
        Optional<String> retryAfter = header(headers, "Retry-After");
        if (retryAfter.isPresent()) {
            String value = retryAfter.get().trim();
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
            } catch (NumberFormatException notSeconds) {
                try {
                    Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                            .toInstant();
                    return Optional.of(nonNegative(Duration.between(now, at)));
                } catch (DateTimeParseException notDate) {
                    // Fall through to the other header.
                }
            }
        }
        Optional<String> reset = header(headers, "X-RateLimit-Reset");
        if (reset.isPresent()) {
            try {
                Instant at = Instant.ofEpochSecond(Long.parseLong(reset.get().trim()));
                return Optional.of(nonNegative(Duration.between(now, at)));
            } catch (NumberFormatException | java.time.DateTimeException unreadable) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The first value of header {@code name}, compared case-insensitively. */
    public static Optional<String> header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() != null
                    && e.getKey().equalsIgnoreCase(name)
                    && !e.getValue().isEmpty()) {
                return Optional.of(e.getValue().get(0));
            }
        }
        return Optional.empty();
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
