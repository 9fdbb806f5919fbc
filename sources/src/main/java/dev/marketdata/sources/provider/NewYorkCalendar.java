package dev.marketdata.sources.provider;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;

/**
 * US equity trading days in New York time (providers.md section 4): weekdays other than the NYSE full holidays
 * (New Year's, Martin Luther King, Presidents', Good Friday, Memorial, Juneteenth from 2022, Independence, Labor,
 * Thanksgiving and Christmas days, each moved to Friday or Monday when it falls on a weekend, except New Year's
 * on a Saturday, which NYSE does not observe). Used only to decide whether an empty answer is suspect, never to
 * skip a request for a weekday.
 */
public final class NewYorkCalendar {

    public static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final LocalTime OPEN = LocalTime.of(9, 30);
    private static final LocalTime CLOSE = LocalTime.of(16, 0);

    private NewYorkCalendar() {}

    /** Whether {@code [from, to)} overlaps the regular session (09:30-16:00 New York) of a trading day. */
    public static boolean overlapsSession(Instant from, Instant to) {
        for (LocalDate day = from.atZone(NEW_YORK).toLocalDate();
                !day.atStartOfDay(NEW_YORK).toInstant().isAfter(to);
                day = day.plusDays(1)) {
            if (!isTradingDay(day)) {
                continue;
            }
            Instant open = ZonedDateTime.of(day, OPEN, NEW_YORK).toInstant();
            Instant close = ZonedDateTime.of(day, CLOSE, NEW_YORK).toInstant();
            if (from.isBefore(close) && to.isAfter(open)) {
                return true;
            }
        }
        return false;
    }

    public static boolean isTradingDay(LocalDate day) {
        DayOfWeek dow = day.getDayOfWeek();
        return dow != DayOfWeek.SATURDAY && dow != DayOfWeek.SUNDAY && !isHoliday(day);
    }

    static boolean isHoliday(LocalDate day) {
        int year = day.getYear();
        LocalDate newYear = LocalDate.of(year, Month.JANUARY, 1);
        if (newYear.getDayOfWeek() == DayOfWeek.SUNDAY) {
            newYear = newYear.plusDays(1);
        }
        return day.equals(newYear)
                || day.equals(nth(year, Month.JANUARY, DayOfWeek.MONDAY, 3))
                || day.equals(nth(year, Month.FEBRUARY, DayOfWeek.MONDAY, 3))
                || day.equals(easter(year).minusDays(2))
                || day.equals(
                        LocalDate.of(year, Month.MAY, 31).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)))
                || (year >= 2022 && day.equals(observed(LocalDate.of(year, Month.JUNE, 19))))
                || day.equals(observed(LocalDate.of(year, Month.JULY, 4)))
                || day.equals(nth(year, Month.SEPTEMBER, DayOfWeek.MONDAY, 1))
                || day.equals(nth(year, Month.NOVEMBER, DayOfWeek.THURSDAY, 4))
                || day.equals(observed(LocalDate.of(year, Month.DECEMBER, 25)));
    }

    private static LocalDate nth(int year, Month month, DayOfWeek dow, int n) {
        return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, dow));
    }

    private static LocalDate observed(LocalDate holiday) {
        return switch (holiday.getDayOfWeek()) {
            case SATURDAY -> holiday.minusDays(1);
            case SUNDAY -> holiday.plusDays(1);
            default -> holiday;
        };
    }

    /** Easter Sunday (Gregorian), by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
    private static LocalDate easter(int year) {
        int a = year % 19;
        int b = year / 100;
        int c = year % 100;
        int d = b / 4;
        int e = b % 4;
        int f = (b + 8) / 25;
        int g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4;
        int k = c % 4;
        int l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31;
        int day = ((h + l - 7 * m + 114) % 31) + 1;
        return LocalDate.of(year, month, day);
    }
}
