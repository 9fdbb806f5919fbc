package dev.marketdata.sources.synthetic;

import static dev.marketdata.sources.synthetic.Hashing.below;
import static dev.marketdata.sources.synthetic.Hashing.mix;
import static dev.marketdata.sources.synthetic.Hashing.unit;
import static dev.marketdata.sources.synthetic.SyntheticBars.cents;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.model.Fundamentals;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Quarterly fundamentals: step {@code q} of a symbol reports its fiscal quarter {@code q}, counted from the first
 * quarter of fiscal year (start year - 10); after a fourth quarter also the fiscal year, and from the fourth
 * quarter on the trailing twelve months. Each symbol has its own fiscal year end (December, September, June or
 * March), size, growth and margins; every seventh symbol is bank-like and reports no gross profit.
 */
public final class SyntheticFundamentals implements SyntheticGenerator<Fundamentals> {

    private static final long serialVersionUID = 1L;

    static final int SLOTS = 3;
    static final int QUARTER = 0;
    static final int FISCAL_YEAR = 1;
    static final int TRAILING = 2;
    static final int HISTORY_YEARS = 10;
    private static final int[] YEAR_END_MONTHS = {12, 9, 6, 3};
    private static final double[] SEASON = {0.96, 0.99, 1.0, 1.08};

    private final SyntheticSpec spec;

    public SyntheticFundamentals(SyntheticSpec spec) {
        this.spec = spec;
    }

    @Override
    public int slotsPerStep() {
        return SLOTS;
    }

    @Override
    public void generate(int symbolIndex, long step, Bar bar, List<Fundamentals> out) {
        Fundamentals quarter = quarter(symbolIndex, step, bar.symbol());
        emit(quarter, symbolIndex, step, QUARTER, out);
        if (step % 4 == 3) {
            emit(sum(symbolIndex, step, bar.symbol(), "FY"), symbolIndex, step, FISCAL_YEAR, out);
        }
        if (step >= 3) {
            emit(sum(symbolIndex, step, bar.symbol(), "TTM"), symbolIndex, step, TRAILING, out);
        }
    }

    private void emit(Fundamentals record, int symbolIndex, long step, int slot, List<Fundamentals> out) {
        long ordinal = spec.invalidOrdinal(SyntheticGenerator.position(spec, SLOTS, symbolIndex, step, slot));
        out.add(ordinal > 0 ? corrupt(record, FundamentalsCorruption.forInvalidRecord(ordinal)) : record);
    }

    /** The fiscal year of quarter {@code q} (from 0). */
    int fiscalYear(long q) {
        return spec.start().atOffset(ZoneOffset.UTC).getYear() - HISTORY_YEARS + (int) (q / 4);
    }

    LocalDate quarterStart(int symbolIndex, long q) {
        int endMonth = YEAR_END_MONTHS[below(mix(spec.seed(), symbolIndex, -3, 0), YEAR_END_MONTHS.length)];
        LocalDate yearStart =
                YearMonth.of(fiscalYear(q), endMonth).minusMonths(11).atDay(1);
        return yearStart.plusMonths(3 * (q % 4));
    }

    LocalDate quarterEnd(int symbolIndex, long q) {
        return quarterStart(symbolIndex, q).plusMonths(3).minusDays(1);
    }

    private Fundamentals quarter(int symbolIndex, long q, String symbol) {
        long s = mix(spec.seed(), symbolIndex, -4, 0);
        double scale = 1e8 * StrictMath.pow(10, 2.5 * unit(s));
        double growth = 0.005 + 0.025 * unit(mix(s, 1, 0, 0));
        double grossMargin = 0.3 + 0.4 * unit(mix(s, 2, 0, 0));
        double opexRatio = 0.1 + 0.25 * unit(mix(s, 3, 0, 0));
        double shares = 1e8 * StrictMath.pow(10, 1.5 * unit(mix(s, 4, 0, 0)));
        double assetTurns = 3 + 2 * unit(mix(s, 5, 0, 0));
        double leverage = 0.4 + 0.3 * unit(mix(s, 6, 0, 0));
        boolean bankLike = symbolIndex % 7 == 6;

        long h = mix(spec.seed() ^ 0xF00D, symbolIndex, q, 0);
        double revenue =
                thousands(scale * StrictMath.pow(1 + growth, q) * SEASON[(int) (q % 4)] * (1 + 0.06 * (unit(h) - 0.5)));
        double margin = grossMargin + 0.04 * (unit(mix(h, 1, 0, 0)) - 0.5);
        double grossProfit = thousands(revenue * margin);
        double operatingIncome = thousands(revenue * (margin - opexRatio));
        double netIncome = thousands(operatingIncome * 0.79);
        double totalAssets = thousands(revenue * assetTurns);
        double totalLiabilities = thousands(totalAssets * leverage);
        double operatingCashFlow = thousands(netIncome * 1.15 + revenue * 0.02 * (unit(mix(h, 2, 0, 0)) - 0.5));
        LocalDate end = quarterEnd(symbolIndex, q);
        return new Fundamentals(
                symbol,
                fiscalYear(q),
                "Q" + (q % 4 + 1),
                quarterStart(symbolIndex, q),
                end,
                end.plusDays(25 + below(mix(h, 3, 0, 0), 20)),
                revenue,
                bankLike ? null : grossProfit,
                operatingIncome,
                netIncome,
                cents(netIncome / shares),
                cents(netIncome / (shares * 1.02)),
                totalAssets,
                totalLiabilities,
                thousands(totalAssets - totalLiabilities),
                operatingCashFlow,
                "USD",
                SyntheticBars.PROVIDER);
    }

    /** The four quarters ending with quarter {@code q}, summed: flows add up, the balance sheet is the last one's. */
    private Fundamentals sum(int symbolIndex, long q, String symbol, String period) {
        double revenue = 0, operatingIncome = 0, netIncome = 0, eps = 0, epsDiluted = 0, cashFlow = 0;
        Double grossProfit = 0.0;
        for (long k = q - 3; k <= q; k++) {
            Fundamentals f = quarter(symbolIndex, k, symbol);
            revenue += f.revenue();
            grossProfit = f.grossProfit() == null ? null : grossProfit + f.grossProfit();
            operatingIncome += f.operatingIncome();
            netIncome += f.netIncome();
            eps += f.epsBasic();
            epsDiluted += f.epsDiluted();
            cashFlow += f.operatingCashFlow();
        }
        Fundamentals last = quarter(symbolIndex, q, symbol);
        LocalDate filed = "FY".equals(period)
                ? last.periodEnd().plusDays(55 + below(mix(spec.seed() ^ 0xF1, symbolIndex, q, 0), 15))
                : last.filingDate();
        return new Fundamentals(
                symbol,
                last.fiscalYear(),
                period,
                quarterStart(symbolIndex, q - 3),
                last.periodEnd(),
                filed,
                thousands(revenue),
                grossProfit == null ? null : thousands(grossProfit),
                thousands(operatingIncome),
                thousands(netIncome),
                cents(eps),
                cents(epsDiluted),
                last.totalAssets(),
                last.totalLiabilities(),
                last.shareholdersEquity(),
                thousands(cashFlow),
                last.currency(),
                last.provider());
    }

    /** {@code f} spoiled in the given way. */
    public static Fundamentals corrupt(Fundamentals f, FundamentalsCorruption corruption) {
        return switch (corruption) {
            case PERIOD_END_BEFORE_START -> f.withPeriod(f.periodEnd(), f.periodStart());
            case UNKNOWN_PERIOD -> f.withFiscalPeriod("Q5");
            case FILED_BEFORE_PERIOD_END -> f.withFilingDate(f.periodEnd().minusDays(10));
            case NEGATIVE_REVENUE -> f.withRevenue(-f.revenue());
            case UNKNOWN_CURRENCY -> f.withCurrency("US$");
        };
    }

    private static double thousands(double amount) {
        return Math.round(amount / 1000) * 1000.0;
    }
}
