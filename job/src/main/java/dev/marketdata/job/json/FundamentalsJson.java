package dev.marketdata.job.json;

import static dev.marketdata.job.json.Json.optionalDate;
import static dev.marketdata.job.json.Json.optionalDouble;
import static dev.marketdata.job.json.Json.optionalText;
import static dev.marketdata.job.json.Json.requiredDate;
import static dev.marketdata.job.json.Json.requiredInt;
import static dev.marketdata.job.json.Json.requiredText;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.sources.model.Fundamentals;
import java.io.IOException;

/**
 * A fundamentals record as JSON: {@code {"symbol":"AAPL","fiscal_year":2024,"fiscal_period":"Q1",
 * "period_start":"2023-10-01","period_end":"2023-12-30","filing_date":"2024-02-02","revenue":119575000000,...,
 * "currency":"USD","provider":"polygon"}}. Required: symbol, fiscal_year, fiscal_period, period_start, period_end,
 * currency; filing date and every statement line may be absent or null.
 */
public final class FundamentalsJson implements RecordJson<Fundamentals> {

    private static final long serialVersionUID = 1L;

    @Override
    public void write(Fundamentals f, JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeStringField("symbol", f.symbol());
        out.writeNumberField("fiscal_year", f.fiscalYear());
        out.writeStringField("fiscal_period", f.fiscalPeriod());
        Json.writeDate(out, "period_start", f.periodStart());
        Json.writeDate(out, "period_end", f.periodEnd());
        Json.writeDate(out, "filing_date", f.filingDate());
        Json.writeNumber(out, "revenue", f.revenue());
        Json.writeNumber(out, "gross_profit", f.grossProfit());
        Json.writeNumber(out, "operating_income", f.operatingIncome());
        Json.writeNumber(out, "net_income", f.netIncome());
        Json.writeNumber(out, "eps_basic", f.epsBasic());
        Json.writeNumber(out, "eps_diluted", f.epsDiluted());
        Json.writeNumber(out, "total_assets", f.totalAssets());
        Json.writeNumber(out, "total_liabilities", f.totalLiabilities());
        Json.writeNumber(out, "shareholders_equity", f.shareholdersEquity());
        Json.writeNumber(out, "operating_cash_flow", f.operatingCashFlow());
        out.writeStringField("currency", f.currency());
        out.writeStringField("provider", f.provider());
        out.writeEndObject();
    }

    @Override
    public Fundamentals read(JsonNode node) {
        String provider = optionalText(node, "provider");
        return new Fundamentals(
                requiredText(node, "symbol"),
                requiredInt(node, "fiscal_year"),
                requiredText(node, "fiscal_period"),
                requiredDate(node, "period_start"),
                requiredDate(node, "period_end"),
                optionalDate(node, "filing_date"),
                optionalDouble(node, "revenue"),
                optionalDouble(node, "gross_profit"),
                optionalDouble(node, "operating_income"),
                optionalDouble(node, "net_income"),
                optionalDouble(node, "eps_basic"),
                optionalDouble(node, "eps_diluted"),
                optionalDouble(node, "total_assets"),
                optionalDouble(node, "total_liabilities"),
                optionalDouble(node, "shareholders_equity"),
                optionalDouble(node, "operating_cash_flow"),
                requiredText(node, "currency"),
                provider == null ? BarJson.UNKNOWN_PROVIDER : provider);
    }
}
