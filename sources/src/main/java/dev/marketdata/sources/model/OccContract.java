package dev.marketdata.sources.model;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAdjusters;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A listed option contract as its OCC/OSI symbol names it, read from any of the spellings providers use, and its
 * one {@linkplain #canonical() canonical} spelling. The grammar and its examples are in {@code docs/identifiers.md}.
 *
 * <ul>
 *   <li>compact (Alpaca's options API, most vendors): {@code AAPL240315C00180000}
 *   <li>the OCC's 21-character form, root space-padded to 6: {@code AAPL  240315C00180000}
 *   <li>Polygon's, with its market prefix: {@code O:AAPL240315C00180000}
 * </ul>
 *
 * @param root the option root, 1-6 upper-case letters and digits ({@code AAPL}, {@code SPXW}, {@code AAPL1} for an
 *     adjusted contract)
 * @param expiration the expiration date the symbol carries (for standard monthly options before 2015 the Saturday
 *     after the last trading day, see {@link #expiresOnSaturdayAfter(LocalDate)})
 * @param call true for a call, false for a put
 * @param strikeThousandths the strike price times 1000, as the symbol's 8 digits say
 */
public record OccContract(String root, LocalDate expiration, boolean call, long strikeThousandths) {

    /** Polygon's prefix of option tickers. */
    public static final String POLYGON_PREFIX = "O:";

    /** The padded OCC form is exactly this long: 6 for the root, 6 for the date, 1 for the right, 8 for the strike. */
    public static final int PADDED_LENGTH = 21;

    /** The shortest spelling of a contract: a one-character root, compact. */
    public static final int MIN_LENGTH = 16;

    private static final Pattern COMPACT = Pattern.compile("([A-Z0-9]{1,6})(\\d{6})([CP])(\\d{8})");
    private static final Pattern PADDED = Pattern.compile("([A-Z0-9]{1,6}) *(\\d{6})([CP])(\\d{8})");
    private static final DateTimeFormatter YYMMDD =
            DateTimeFormatter.ofPattern("uuMMdd").withResolverStyle(ResolverStyle.STRICT);

    /**
     * The last day (exclusive) of the Saturday convention: standard monthly options that expired before February 1,
     * 2015 carry the Saturday after the third Friday as their expiration date; later ones carry the Friday. Sources:
     * OCC's announcement of 24 June 2013 (theocc.com/about/newsroom/releases/2013/06_24.jsp: processing moved to
     * Friday, existing Saturday dates kept), and Cboe's "Expiration Saturday Soon to be Gone" (cboeoptionshub.com,
     * 11 April 2013: "all standard monthly options that expire prior to February 1, 2015 will have a Saturday
     * expiration date and all standard monthly options that expire on or after February 1, 2015 will have a Friday
     * expiration date").
     */
    public static final LocalDate SATURDAY_EXPIRATIONS_END = LocalDate.of(2015, 2, 1);

    /**
     * The contract {@code symbol} names, in any of the three spellings, or empty when it is none of them (lower
     * case, a root over 6 characters, padding that does not make 21 characters, no such date).
     */
    public static Optional<OccContract> parse(String symbol) {
        if (symbol == null || symbol.length() < MIN_LENGTH) {
            return Optional.empty();
        }
        Matcher m;
        if (symbol.startsWith(POLYGON_PREFIX)) {
            m = COMPACT.matcher(symbol.substring(POLYGON_PREFIX.length()));
        } else if (symbol.indexOf(' ') >= 0) {
            m = PADDED.matcher(symbol);
            if (symbol.length() != PADDED_LENGTH) {
                return Optional.empty();
            }
        } else {
            m = COMPACT.matcher(symbol);
        }
        if (!m.matches()) {
            return Optional.empty();
        }
        LocalDate expiration;
        try {
            expiration = LocalDate.parse(m.group(2), YYMMDD);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        return Optional.of(new OccContract(m.group(1), expiration, m.group(3).equals("C"), Long.parseLong(m.group(4))));
    }

    /**
     * The spelling stored in every key: compact, without Polygon's prefix or the OCC's padding, e.g.
     * {@code AAPL240315C00180000}. The date is the one the symbol carries, never moved.
     */
    public String canonical() {
        String strike = Long.toString(strikeThousandths);
        return root
                + expiration.format(YYMMDD)
                + (call ? 'C' : 'P')
                + "0".repeat(Math.max(0, 8 - strike.length()))
                + strike;
    }

    /**
     * Whether the symbol's date is a Saturday-convention expiration whose last trading day is {@code lastTradingDay}:
     * the date is the Saturday after a month's third Friday, before {@link #SATURDAY_EXPIRATIONS_END}, and the last
     * trading day is that Friday, or the Thursday before it when the Friday was an exchange holiday (Good Friday,
     * e.g. the April 2014 options: last trading day 2014-04-17, symbol date 140419).
     */
    public boolean expiresOnSaturdayAfter(LocalDate lastTradingDay) {
        if (expiration.getDayOfWeek() != DayOfWeek.SATURDAY || !expiration.isBefore(SATURDAY_EXPIRATIONS_END)) {
            return false;
        }
        // A third Friday is the 15th to the 21st, so the Saturday after it is always in the same month.
        LocalDate friday = expiration.minusDays(1);
        if (!friday.equals(friday.with(TemporalAdjusters.dayOfWeekInMonth(3, DayOfWeek.FRIDAY)))) {
            return false;
        }
        return lastTradingDay.equals(friday) || lastTradingDay.equals(friday.minusDays(1));
    }
}
