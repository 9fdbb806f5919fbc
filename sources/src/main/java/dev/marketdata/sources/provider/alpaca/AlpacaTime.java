package dev.marketdata.sources.provider.alpaca;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Alpaca's bar times: RFC 3339 strings with zero to nine fractional-second digits ({@code 2022-04-11T08:00:00Z},
 * {@code 2024-02-02T20:59:59.731674112Z}), in UTC in practice but read with any offset RFC 3339 allows.
 */
final class AlpacaTime {

    // RFC 3339 allows a lower-case 't' and 'z'; the fraction has any length up to nanoseconds.
    private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2)
            .appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
            .optionalEnd()
            .appendOffset("+HH:MM", "Z")
            .toFormatter();

    private AlpacaTime() {}

    /**
     * The instant {@code text} names.
     *
     * @throws DateTimeParseException when {@code text} is not an RFC 3339 date-time (a leap second {@code :60}
     *     included: Alpaca's bars start on whole minutes, so one is never a bar start)
     */
    static Instant parse(String text) {
        return OffsetDateTime.parse(text, RFC_3339).toInstant();
    }

    /** {@code instant} as RFC 3339 in UTC, as Alpaca's {@code start} and {@code end} parameters take it. */
    static String format(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
