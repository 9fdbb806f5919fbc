package dev.marketdata.sources.model;

import java.time.LocalDate;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A company's reported figures for one fiscal period: the common income-statement, balance-sheet and cash-flow
 * lines. Any line may be absent (a bank reports no gross profit).
 *
 * <p>Flink serializes records as POJOs (dates with its built-in serializer, see {@link RecordTypeInfoFactory}), so
 * renaming or retyping a component breaks savepoint compatibility; adding one is allowed.
 *
 * @param symbol the company's symbol, e.g. {@code AAPL}
 * @param fiscalYear the fiscal year the period belongs to, as the company names it (e.g. 2024 for Apple's year
 *     ending September 2024)
 * @param fiscalPeriod {@code Q1} to {@code Q4}, {@code FY} (the fiscal year) or {@code TTM} (the twelve months
 *     ending {@code periodEnd})
 * @param periodStart first day of the period
 * @param periodEnd last day of the period
 * @param filingDate when the figures were filed or published, or null when unknown
 * @param revenue total revenue
 * @param grossProfit revenue less cost of revenue
 * @param operatingIncome operating income (loss)
 * @param netIncome net income (loss) attributable to shareholders
 * @param epsBasic basic earnings per share
 * @param epsDiluted diluted earnings per share
 * @param totalAssets total assets at period end
 * @param totalLiabilities total liabilities at period end
 * @param shareholdersEquity shareholders' equity at period end
 * @param operatingCashFlow net cash from operating activities
 * @param currency ISO 4217 code of every amount, e.g. {@code USD}; amounts are in units of it (not thousands), EPS
 *     per share
 * @param provider where the figures came from, e.g. {@code polygon} or {@code synthetic}
 */
@TypeInfo(RecordTypeInfoFactory.class)
public record Fundamentals(
        String symbol,
        int fiscalYear,
        String fiscalPeriod,
        LocalDate periodStart,
        LocalDate periodEnd,
        LocalDate filingDate,
        Double revenue,
        Double grossProfit,
        Double operatingIncome,
        Double netIncome,
        Double epsBasic,
        Double epsDiluted,
        Double totalAssets,
        Double totalLiabilities,
        Double shareholdersEquity,
        Double operatingCashFlow,
        String currency,
        String provider) {

    /** This statement with another symbol. */
    public Fundamentals withSymbol(String symbol) {
        return new Fundamentals(
                symbol,
                fiscalYear,
                fiscalPeriod,
                periodStart,
                periodEnd,
                filingDate,
                revenue,
                grossProfit,
                operatingIncome,
                netIncome,
                epsBasic,
                epsDiluted,
                totalAssets,
                totalLiabilities,
                shareholdersEquity,
                operatingCashFlow,
                currency,
                provider);
    }

    /** This statement with another fiscal period, e.g. {@code Q2} or {@code FY}. */
    public Fundamentals withFiscalPeriod(String fiscalPeriod) {
        return new Fundamentals(
                symbol,
                fiscalYear,
                fiscalPeriod,
                periodStart,
                periodEnd,
                filingDate,
                revenue,
                grossProfit,
                operatingIncome,
                netIncome,
                epsBasic,
                epsDiluted,
                totalAssets,
                totalLiabilities,
                shareholdersEquity,
                operatingCashFlow,
                currency,
                provider);
    }

    /** This statement over another period (dates as reported, both ends inclusive). */
    public Fundamentals withPeriod(LocalDate periodStart, LocalDate periodEnd) {
        return new Fundamentals(
                symbol,
                fiscalYear,
                fiscalPeriod,
                periodStart,
                periodEnd,
                filingDate,
                revenue,
                grossProfit,
                operatingIncome,
                netIncome,
                epsBasic,
                epsDiluted,
                totalAssets,
                totalLiabilities,
                shareholdersEquity,
                operatingCashFlow,
                currency,
                provider);
    }

    /** This statement with another filing date. */
    public Fundamentals withFilingDate(LocalDate filingDate) {
        return new Fundamentals(
                symbol,
                fiscalYear,
                fiscalPeriod,
                periodStart,
                periodEnd,
                filingDate,
                revenue,
                grossProfit,
                operatingIncome,
                netIncome,
                epsBasic,
                epsDiluted,
                totalAssets,
                totalLiabilities,
                shareholdersEquity,
                operatingCashFlow,
                currency,
                provider);
    }

    /** This statement with another revenue. */
    public Fundamentals withRevenue(Double revenue) {
        return new Fundamentals(
                symbol,
                fiscalYear,
                fiscalPeriod,
                periodStart,
                periodEnd,
                filingDate,
                revenue,
                grossProfit,
                operatingIncome,
                netIncome,
                epsBasic,
                epsDiluted,
                totalAssets,
                totalLiabilities,
                shareholdersEquity,
                operatingCashFlow,
                currency,
                provider);
    }

    /** This statement in another currency (ISO 4217 code as reported). */
    public Fundamentals withCurrency(String currency) {
        return new Fundamentals(
                symbol,
                fiscalYear,
                fiscalPeriod,
                periodStart,
                periodEnd,
                filingDate,
                revenue,
                grossProfit,
                operatingIncome,
                netIncome,
                epsBasic,
                epsDiluted,
                totalAssets,
                totalLiabilities,
                shareholdersEquity,
                operatingCashFlow,
                currency,
                provider);
    }
}
