package dev.marketdata.sources.model;

import java.time.Duration;
import java.util.Optional;

/**
 * Parses bar timeframes such as {@code 1s}, {@code 1m}, {@code 15m}, {@code 1h}, {@code 1d}, {@code 1w}, {@code 1mo}:
 * a count of 1 to 9999 without leading zeros, then one of the units {@code s m h d w mo}. Read character by
 * character (it runs once per record in validation, where a regex matcher per record showed in profiles).
 */
public final class Timeframe {

    private static final int MAX_DIGITS = 4;

    private Timeframe() {}

    /** The timeframe's length, or empty when {@code text} is not a timeframe. Months have no fixed length. */
    public static Optional<Duration> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int n = text.length();
        int digits = 0;
        long count = 0;
        while (digits < n && digits <= MAX_DIGITS) {
            char c = text.charAt(digits);
            if (c < '0' || c > '9') {
                break;
            }
            if (digits == 0 && c == '0') {
                return Optional.empty();
            }
            count = count * 10 + (c - '0');
            digits++;
        }
        if (digits == 0 || digits > MAX_DIGITS) {
            return Optional.empty();
        }
        int unit = n - digits;
        if (unit == 1) {
            return switch (text.charAt(digits)) {
                case 's' -> Optional.of(Duration.ofSeconds(count));
                case 'm' -> Optional.of(Duration.ofMinutes(count));
                case 'h' -> Optional.of(Duration.ofHours(count));
                case 'd' -> Optional.of(Duration.ofDays(count));
                case 'w' -> Optional.of(Duration.ofDays(7 * count));
                default -> Optional.empty();
            };
        }
        if (unit == 2 && text.charAt(digits) == 'm' && text.charAt(digits + 1) == 'o') {
            return Optional.of(Duration.ofDays(30 * count));
        }
        return Optional.empty();
    }
}
