package dev.marketdata.job.sink.table;

import dev.marketdata.job.json.FundamentalsJson;
import dev.marketdata.job.json.RecordJson;
import dev.marketdata.sources.model.Fundamentals;
import java.time.LocalDate;
import java.util.List;

/**
 * The {@code fundamentals} table; key (symbol, fiscal_period, period_end): a period is named by its kind and its
 * last day, which also keeps the four trailing-twelve-month records of one fiscal year apart.
 */
public final class FundamentalsTable extends BaseTable<Fundamentals> {

    private static final long serialVersionUID = 1L;

    private static final List<String> COLUMNS = List.of(
            "symbol",
            "fiscal_year",
            "fiscal_period",
            "period_start",
            "period_end",
            "filing_date",
            "revenue",
            "gross_profit",
            "operating_income",
            "net_income",
            "eps_basic",
            "eps_diluted",
            "total_assets",
            "total_liabilities",
            "shareholders_equity",
            "operating_cash_flow",
            "currency",
            "provider");
    private static final List<String> KEY = List.of("symbol", "fiscal_period", "period_end");

    public FundamentalsTable() {
        this("fundamentals");
    }

    public FundamentalsTable(String name) {
        super(name, "fundamentals", COLUMNS, KEY);
    }

    @Override
    public RowKey key(Fundamentals f) {
        return new Key(f.symbol(), f.fiscalPeriod(), f.periodEnd());
    }

    @Override
    public void writeRow(Fundamentals f, PgBinaryCopyBuffer out) {
        out.startRow(COLUMNS.size());
        out.putText(f.symbol());
        out.putInt4(f.fiscalYear());
        out.putText(f.fiscalPeriod());
        out.putDate(f.periodStart());
        out.putDate(f.periodEnd());
        out.putDate(f.filingDate());
        out.putFloat8(f.revenue());
        out.putFloat8(f.grossProfit());
        out.putFloat8(f.operatingIncome());
        out.putFloat8(f.netIncome());
        out.putFloat8(f.epsBasic());
        out.putFloat8(f.epsDiluted());
        out.putFloat8(f.totalAssets());
        out.putFloat8(f.totalLiabilities());
        out.putFloat8(f.shareholdersEquity());
        out.putFloat8(f.operatingCashFlow());
        out.putText(f.currency());
        out.putText(f.provider());
    }

    @Override
    public RecordJson<Fundamentals> json() {
        return new FundamentalsJson();
    }

    private record Key(String symbol, String fiscalPeriod, LocalDate periodEnd) implements RowKey {}
}
