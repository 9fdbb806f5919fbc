package dev.marketdata.sources.provider;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a ticker's window into splits: at every New York midnight, and further so that no split holds more than
 * one provider page of bars. Saturdays and Sundays (New York) are left out: US equities do not trade then, and
 * a request for them would only spend the rate limit. Holidays are requested (a calendar mistake must never lose
 * a day); their empty answers are believed at once.
 */
public final class SplitPlanner {

    private SplitPlanner() {}

    /** The splits of {@code ticker} in {@code [from, to)}, in time order. */
    public static List<ProviderSplit> plan(
            String ticker, String providerId, Instant from, Instant to, Duration barLength, int maxBarsPerPage) {
        Duration maxSpan = barLength.multipliedBy(Math.max(1, maxBarsPerPage));
        List<ProviderSplit> splits = new ArrayList<>();
        Instant start = from;
        while (start.isBefore(to)) {
            LocalDate day = start.atZone(NewYorkCalendar.NEW_YORK).toLocalDate();
            Instant midnight =
                    day.plusDays(1).atStartOfDay(NewYorkCalendar.NEW_YORK).toInstant();
            Instant dayEnd = midnight.isBefore(to) ? midnight : to;
            boolean weekend = day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
            if (!weekend) {
                for (Instant piece = start; piece.isBefore(dayEnd); ) {
                    Instant end = piece.plus(maxSpan);
                    if (end.isAfter(dayEnd)) {
                        end = dayEnd;
                    }
                    splits.add(ProviderSplit.bars(ticker, providerId, piece, end));
                    piece = end;
                }
            }
            start = dayEnd;
        }
        return splits;
    }
}
