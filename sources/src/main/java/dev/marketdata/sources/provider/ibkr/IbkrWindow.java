package dev.marketdata.sources.provider.ibkr;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * One history request's time window, {@code [start, end)}, and which way its {@code startTime} is sent; the page
 * cursor names it, so a restored split asks for the same window again.
 *
 * <p>Each window's length is exactly one {@code period} IBKR takes ({@code {1-8}h} or {@code {1-30}min}): whole
 * hours, at most 8, while at least an hour remains, then whole minutes, at most 30. So a one-minute window holds at
 * most 480 bars, under the 1000 points one answer carries [S], and the answer covers the window and nothing more
 * whichever way the gateway reads {@code startTime}. {@code d} periods are never used: whether IBKR counts them in
 * calendar or trading days is not documented.
 *
 * <p>Which way {@code startTime} points is documented both ways: the newer API reference calls it "a fixed UTC
 * date-time reference point ... from which the specified period extends" (forward), while answers carry
 * {@code "direction":-1} (counting back) [S]. Every window is first asked {@link Reading#FORWARD}
 * ({@code startTime} = window start). Answered forward, every bar is at or after the window start; counted back,
 * at or before it. So when no bar of the answer is after the window start (it is empty, or every bar is before or
 * at it), the same window is asked {@link Reading#BACKWARD} ({@code startTime} = window end) and that answer is
 * final; a bar at the window start from the first answer is kept once. See {@link IbkrHistoryBody}.
 *
 * @param start window start, inclusive (UTC)
 * @param end window end, exclusive (UTC)
 * @param reading how {@code startTime} is sent
 * @param startTaken the bar at {@code start} came with the forward answer already (a gateway counting back
 *     includes its {@code startTime}), so the backward answer's is not kept again
 */
record IbkrWindow(Instant start, Instant end, Reading reading, boolean startTaken) {

    /** Which end of the window {@code startTime} names. */
    enum Reading {
        /** {@code startTime} is the window start. */
        FORWARD,
        /** {@code startTime} is the window end. */
        BACKWARD
    }

    /** {@code YYYYMMDD-HH:mm:ss} in UTC, the {@code startTime} format [C], read as UTC [S]. */
    static final DateTimeFormatter START_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HH:mm:ss").withZone(ZoneOffset.UTC);

    private static final Duration MAX_HOURS = Duration.ofHours(8);
    private static final Duration MAX_MINUTES = Duration.ofMinutes(30);

    IbkrWindow {
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("window start " + start + " is not before its end " + end);
        }
    }

    /** The first window of {@code [from, to)}. */
    static IbkrWindow first(Instant from, Instant to) {
        return startingAt(from, to);
    }

    private static IbkrWindow startingAt(Instant start, Instant to) {
        Duration remaining = Duration.between(start, to);
        Duration length;
        if (remaining.compareTo(Duration.ofHours(1)) >= 0) {
            length = min(Duration.ofHours(remaining.toHours()), MAX_HOURS);
        } else if (remaining.compareTo(Duration.ofMinutes(1)) >= 0) {
            length = min(Duration.ofMinutes(remaining.toMinutes()), MAX_MINUTES);
        } else {
            length = remaining;
        }
        return new IbkrWindow(start, start.plus(length), Reading.FORWARD, false);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The window after this one, asked forward first, or empty when this one reaches {@code to}. */
    Optional<IbkrWindow> next(Instant to) {
        return end.isBefore(to) ? Optional.of(startingAt(end, to)) : Optional.empty();
    }

    /** This window asked the other way; {@code startTaken}: its first bar was read already. */
    IbkrWindow backward(boolean startTaken) {
        return new IbkrWindow(start, end, Reading.BACKWARD, startTaken);
    }

    /** The {@code period} parameter: the window length ({@code Nh}, {@code Nmin}; a sub-minute rest asks 1min). */
    String period() {
        Duration length = Duration.between(start, end);
        if (length.toMinutes() >= 60 && length.toMinutesPart() == 0 && length.toSecondsPart() == 0) {
            return length.toHours() + "h";
        }
        return Math.max(1, length.toMinutes()) + "min";
    }

    /** The {@code startTime} parameter. */
    String startTime() {
        return START_TIME.format(reading == Reading.FORWARD ? start : end);
    }

    /** Whether a bar starting at {@code t} is this window's to keep. */
    boolean keeps(Instant t) {
        return (startTaken ? t.isAfter(start) : !t.isBefore(start)) && t.isBefore(end);
    }

    /** The cursor text: {@code <start epoch ms>-<end epoch ms>-<F|B|B1>} (B1: backward, start taken). */
    String cursor() {
        return start.toEpochMilli() + "-" + end.toEpochMilli() + "-"
                + (reading == Reading.FORWARD ? "F" : startTaken ? "B1" : "B");
    }

    /**
     * The window a cursor names.
     *
     * @throws IllegalArgumentException when {@code cursor} was not written by {@link #cursor()}
     */
    static IbkrWindow ofCursor(String cursor) {
        String[] parts = cursor.split("-", -1);
        if (parts.length != 3 || !(parts[2].equals("F") || parts[2].equals("B") || parts[2].equals("B1"))) {
            throw new IllegalArgumentException("not an IBKR window cursor: '" + cursor + "'");
        }
        try {
            return new IbkrWindow(
                    Instant.ofEpochMilli(Long.parseLong(parts[0])),
                    Instant.ofEpochMilli(Long.parseLong(parts[1])),
                    parts[2].equals("F") ? Reading.FORWARD : Reading.BACKWARD,
                    parts[2].equals("B1"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an IBKR window cursor: '" + cursor + "'", e);
        }
    }
}
