package dev.marketdata.sources.model;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses bar timeframes such as {@code 1s}, {@code 1m}, {@code 15m}, {@code 1h}, {@code 1d}, {@code 1w}, {@code 1mo}. */
public final class Timeframe {

    private static final Pattern FORMAT = Pattern.compile("([1-9][0-9]{0,3})(s|m|h|d|w|mo)");

    private Timeframe() {}

    /** The timeframe's length, or empty when {@code text} is not a timeframe. Months have no fixed length. */
    public static Optional<Duration> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(
                switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    case "w" -> Duration.ofDays(7 * n);
                    default -> Duration.ofDays(30 * n);
                });
    }
}
