package dev.marketdata.job.validate;

import dev.marketdata.sources.model.Fundamentals;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The rules a fundamentals record must meet to be stored; each broken rule has its own reason code. */
public final class FundamentalsValidator implements Validator<Fundamentals> {

    private static final long serialVersionUID = 1L;

    /** Reason codes, in the order the rules are checked. */
    public enum Reason {
        MISSING_FIELD,
        TIME_OUT_OF_RANGE,
        MALFORMED_SYMBOL,
        UNKNOWN_PERIOD,
        PERIOD_END_BEFORE_START,
        PERIOD_LENGTH_MISMATCH,
        INVALID_FISCAL_YEAR,
        FILED_BEFORE_PERIOD_END,
        UNKNOWN_CURRENCY,
        NON_FINITE_AMOUNT,
        NEGATIVE_AMOUNT,
        GROSS_PROFIT_ABOVE_REVENUE,
        NO_VALUES,
        UNSTORABLE_TEXT,
        KEY_TOO_LONG
    }

    /** The fiscal periods providers report. */
    public static final List<String> PERIODS = List.of("Q1", "Q2", "Q3", "Q4", "FY", "TTM");

    /**
     * Period lengths in days, first and last day included. A quarter lasts 12 to 17 weeks: calendar quarters 90-92
     * days, 52/53-week years 12-, 13- and 14-week quarters, and retailers' 16-week first quarters (Kroger's Q1 of
     * 2018, 2018-02-04 to 2018-05-26: 112 days) and 17-week fourth quarters in 53-week years (Costco's Q4 of 2023,
     * 2023-05-08 to 2023-09-03: 119 days). A year or TTM lasts 52 or 53 weeks (364, 371) or a calendar year (365,
     * 366). Each maximum allows one day more, for providers that give the first day of the next period as the end.
     */
    static final long QUARTER_MIN_DAYS = 12 * 7,
            QUARTER_MAX_DAYS = 17 * 7 + 1,
            YEAR_MIN_DAYS = 52 * 7,
            YEAR_MAX_DAYS = 53 * 7 + 1;

    private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode)
            .collect(Collectors.toSet());
    private static final List<String> REASONS =
            Arrays.stream(Reason.values()).map(Enum::name).toList();

    @Override
    public List<String> reasons() {
        return REASONS;
    }

    @Override
    public Violation check(Fundamentals f) {
        if (f.symbol() == null
                || f.fiscalPeriod() == null
                || f.periodStart() == null
                || f.periodEnd() == null
                || f.currency() == null
                || f.provider() == null) {
            return violation(
                    Reason.MISSING_FIELD,
                    "symbol, fiscal_period, period_start, period_end, currency and provider are required");
        }
        String time = BarValidator.firstNonNull(
                StoredDomain.dateProblem("period_start", f.periodStart()),
                StoredDomain.dateProblem("period_end", f.periodEnd()),
                StoredDomain.dateProblem("filing_date", f.filingDate()));
        if (time != null) {
            return violation(Reason.TIME_OUT_OF_RANGE, time);
        }
        String symbolProblem = Symbols.problem(f.symbol());
        if (symbolProblem != null) {
            return violation(Reason.MALFORMED_SYMBOL, "symbol '" + f.symbol() + "' " + symbolProblem);
        }
        if (!PERIODS.contains(f.fiscalPeriod())) {
            return violation(
                    Reason.UNKNOWN_PERIOD,
                    "fiscal_period must be one of " + PERIODS + ", got '" + f.fiscalPeriod() + "'");
        }
        if (!f.periodEnd().isAfter(f.periodStart())) {
            return violation(
                    Reason.PERIOD_END_BEFORE_START,
                    "period_end " + f.periodEnd() + " is not after period_start " + f.periodStart());
        }
        long days = ChronoUnit.DAYS.between(f.periodStart(), f.periodEnd()) + 1;
        boolean quarter = f.fiscalPeriod().startsWith("Q");
        if (quarter
                ? days < QUARTER_MIN_DAYS || days > QUARTER_MAX_DAYS
                : days < YEAR_MIN_DAYS || days > YEAR_MAX_DAYS) {
            return violation(
                    Reason.PERIOD_LENGTH_MISMATCH,
                    String.format(
                            "a %s period lasts %d-%d days, this one %d (%s to %s)",
                            f.fiscalPeriod(),
                            quarter ? QUARTER_MIN_DAYS : YEAR_MIN_DAYS,
                            quarter ? QUARTER_MAX_DAYS : YEAR_MAX_DAYS,
                            days,
                            f.periodStart(),
                            f.periodEnd()));
        }
        // Companies name a fiscal year after the calendar year it ends in, or (rarely) starts in.
        if (Math.abs(f.fiscalYear() - f.periodEnd().getYear()) > 1) {
            return violation(
                    Reason.INVALID_FISCAL_YEAR,
                    "fiscal_year " + f.fiscalYear() + " is more than a year away from period_end " + f.periodEnd());
        }
        if (f.filingDate() != null && f.filingDate().isBefore(f.periodEnd())) {
            return violation(
                    Reason.FILED_BEFORE_PERIOD_END,
                    "filing_date " + f.filingDate() + " is before period_end " + f.periodEnd());
        }
        if (!CURRENCIES.contains(f.currency())) {
            return violation(Reason.UNKNOWN_CURRENCY, "currency '" + f.currency() + "' is not an ISO 4217 code");
        }
        Double[] amounts = {
            f.revenue(),
            f.grossProfit(),
            f.operatingIncome(),
            f.netIncome(),
            f.epsBasic(),
            f.epsDiluted(),
            f.totalAssets(),
            f.totalLiabilities(),
            f.shareholdersEquity(),
            f.operatingCashFlow()
        };
        if (Arrays.stream(amounts).anyMatch(a -> a != null && !Double.isFinite(a))) {
            return violation(Reason.NON_FINITE_AMOUNT, "every amount must be finite: " + Arrays.toString(amounts));
        }
        if (negative(f.revenue()) || negative(f.totalAssets()) || negative(f.totalLiabilities())) {
            return violation(
                    Reason.NEGATIVE_AMOUNT,
                    String.format(
                            "revenue, total_assets and total_liabilities must be >= 0: revenue %s total_assets %s "
                                    + "total_liabilities %s",
                            f.revenue(), f.totalAssets(), f.totalLiabilities()));
        }
        if (f.revenue() != null && f.grossProfit() != null && f.grossProfit() > f.revenue()) {
            return violation(
                    Reason.GROSS_PROFIT_ABOVE_REVENUE, "gross_profit " + f.grossProfit() + " > revenue " + f.revenue());
        }
        if (Arrays.stream(amounts).allMatch(a -> a == null)) {
            return violation(Reason.NO_VALUES, "the record has no statement line at all");
        }
        String text = BarValidator.firstNonNull(
                StoredDomain.textProblem("symbol", f.symbol()),
                StoredDomain.textProblem("fiscal_period", f.fiscalPeriod()),
                StoredDomain.textProblem("currency", f.currency()),
                StoredDomain.textProblem("provider", f.provider()));
        if (text != null) {
            return violation(Reason.UNSTORABLE_TEXT, text);
        }
        String key = StoredDomain.keyProblem("(symbol, fiscal_period)", f.symbol(), f.fiscalPeriod());
        if (key != null) {
            return violation(Reason.KEY_TOO_LONG, key);
        }
        return null;
    }

    @Override
    public Fundamentals canonical(Fundamentals f) {
        String symbol = Symbols.canonical(f.symbol());
        return symbol.equals(f.symbol()) ? f : f.withSymbol(symbol);
    }

    private static boolean negative(Double value) {
        return value != null && value < 0;
    }

    private static Violation violation(Reason reason, String message) {
        return new Violation(reason.name(), message);
    }
}
