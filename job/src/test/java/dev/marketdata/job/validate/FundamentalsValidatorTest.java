package dev.marketdata.job.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marketdata.job.json.FundamentalsJson;
import dev.marketdata.job.testing.Samples;
import dev.marketdata.job.validate.FundamentalsValidator.Reason;
import dev.marketdata.sources.model.Fundamentals;
import java.time.LocalDate;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FundamentalsValidatorTest {

    private final FundamentalsValidator validator = new FundamentalsValidator();

    private static Fundamentals report(Consumer<ObjectNode> change) {
        return Samples.read(new FundamentalsJson(), Samples.FUNDAMENTALS, change);
    }

    @Test
    void acceptsTheDocumentedReport() {
        assertThat(validator.check(report(n -> {}))).isNull();
    }

    static Stream<Arguments> acceptedReports() {
        return Stream.of(
                Arguments.of("a fiscal year", report(n -> n.put("fiscal_period", "FY")
                        .put("period_start", "2022-09-25")
                        .put("period_end", "2023-09-30")
                        .put("fiscal_year", 2023)
                        .put("filing_date", "2023-11-03"))),
                Arguments.of("trailing twelve months", report(n -> n.put("fiscal_period", "TTM")
                        .put("period_start", "2023-01-01")
                        .put("period_end", "2023-12-30"))),
                Arguments.of("a 53-week year", report(n -> n.put("fiscal_period", "FY")
                        .put("period_start", "2022-09-25")
                        .put("period_end", "2023-09-30"))),
                Arguments.of("a 14-week quarter", report(n -> n.put("period_start", "2023-09-24"))),
                Arguments.of("a year named after the year it starts in", report(n -> n.put("fiscal_year", 2022))),
                Arguments.of("no filing date", report(n -> n.remove("filing_date"))),
                Arguments.of("filed on the period's last day", report(n -> n.put("filing_date", "2023-12-30"))),
                Arguments.of("a bank: no gross profit", report(n -> n.remove("gross_profit"))),
                Arguments.of("a loss", report(n -> n.put("net_income", -5e8)
                        .put("eps_basic", -0.03)
                        .put("operating_income", -1e9)
                        .put("shareholders_equity", -2e9)
                        .put("operating_cash_flow", -1e8))),
                Arguments.of("zero revenue", report(n -> n.put("revenue", 0).remove("gross_profit"))),
                Arguments.of(
                        "only one line",
                        report(n -> n.retain(
                                "symbol",
                                "fiscal_year",
                                "fiscal_period",
                                "period_start",
                                "period_end",
                                "currency",
                                "eps_diluted"))),
                Arguments.of("another currency", report(n -> n.put("currency", "JPY"))),
                Arguments.of("a 16-week first quarter (Kroger 2018)", quarter("2018-02-04", "2018-05-26")),
                Arguments.of("a 12-week quarter (Kroger 2018)", quarter("2018-05-27", "2018-08-18")),
                Arguments.of("a 17-week fourth quarter (Costco 2023)", quarter("2023-05-08", "2023-09-03")),
                Arguments.of("17 weeks ending on the next period's first day", quarter("2023-05-08", "2023-09-04")),
                Arguments.of("a 52-week year", year("FY", "2023-01-29", "2024-01-27")),
                Arguments.of(
                        "a 53-week year ending on the next period's first day", year("FY", "2022-08-29", "2023-09-04")),
                Arguments.of("a leap calendar year", year("FY", "2024-01-01", "2024-12-31")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedReports")
    void accepts(String what, Fundamentals report) {
        assertThat(validator.check(report)).isNull();
    }

    private static Fundamentals quarter(String start, String end) {
        return report(n -> n.put("period_start", start)
                .put("period_end", end)
                .put("fiscal_year", LocalDate.parse(end).getYear())
                .remove("filing_date"));
    }

    private static Fundamentals year(String period, String start, String end) {
        return report(n -> n.put("fiscal_period", period)
                .put("period_start", start)
                .put("period_end", end)
                .put("fiscal_year", LocalDate.parse(end).getYear())
                .remove("filing_date"));
    }

    static Stream<Arguments> periodsOfTheWrongLength() {
        return Stream.of(
                Arguments.of("an 83-day quarter, a day short of 12 weeks", quarter("2018-05-28", "2018-08-18")),
                Arguments.of("a 121-day quarter", quarter("2023-05-06", "2023-09-03")),
                Arguments.of("a 200-day quarter", quarter("2023-02-16", "2023-09-03")),
                Arguments.of("a half year as a quarter", quarter("2023-01-01", "2023-06-30")),
                Arguments.of("a 363-day year", year("FY", "2023-01-30", "2024-01-27")),
                Arguments.of("a 373-day year", year("FY", "2022-08-27", "2023-09-03")),
                Arguments.of("a 380-day TTM", year("TTM", "2022-08-20", "2023-09-03")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("periodsOfTheWrongLength")
    void stillRefusesPeriodsOfNoRealLength(String what, Fundamentals report) {
        Violation violation = validator.check(report);
        assertThat(violation).isNotNull();
        assertThat(violation.reason()).isEqualTo(Reason.PERIOD_LENGTH_MISMATCH.name());
    }

    @Test
    void explainsAPeriodOfTheWrongLength() {
        assertThat(validator.check(quarter("2023-02-16", "2023-09-03")).message())
                .isEqualTo("a Q1 period lasts 84-120 days, this one 200 (2023-02-16 to 2023-09-03)");
    }

    @Test
    void storesTheCanonicalSymbol() {
        Fundamentals ibkr = report(n -> n.put("symbol", "BRK B"));
        assertThat(validator.check(ibkr)).isNull();
        assertThat(validator.canonical(ibkr)).isEqualTo(report(n -> n.put("symbol", "BRK.B")));
        Fundamentals plain = report(n -> {});
        assertThat(validator.canonical(plain)).isSameAs(plain);
    }

    static Stream<Arguments> brokenReports() {
        Fundamentals f = report(n -> {});
        return Stream.of(
                Arguments.of(
                        new Fundamentals(
                                null,
                                2024,
                                "Q1",
                                f.periodStart(),
                                f.periodEnd(),
                                null,
                                1.0,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                "USD",
                                "p"),
                        Reason.MISSING_FIELD),
                Arguments.of(
                        new Fundamentals(
                                "AAPL",
                                2024,
                                null,
                                f.periodStart(),
                                f.periodEnd(),
                                null,
                                1.0,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                "USD",
                                "p"),
                        Reason.MISSING_FIELD),
                Arguments.of(
                        new Fundamentals(
                                "AAPL",
                                2024,
                                "Q1",
                                null,
                                f.periodEnd(),
                                null,
                                1.0,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                "USD",
                                "p"),
                        Reason.MISSING_FIELD),
                Arguments.of(
                        new Fundamentals(
                                "AAPL",
                                2024,
                                "Q1",
                                f.periodStart(),
                                f.periodEnd(),
                                null,
                                1.0,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                "p"),
                        Reason.MISSING_FIELD),
                Arguments.of(report(n -> n.put("symbol", "Apple Inc")), Reason.MALFORMED_SYMBOL),
                Arguments.of(report(n -> n.put("fiscal_period", "Q5")), Reason.UNKNOWN_PERIOD),
                Arguments.of(report(n -> n.put("fiscal_period", "q1")), Reason.UNKNOWN_PERIOD),
                Arguments.of(report(n -> n.put("fiscal_period", "H1")), Reason.UNKNOWN_PERIOD),
                Arguments.of(report(n -> n.put("period_start", "2023-12-30")), Reason.PERIOD_END_BEFORE_START),
                Arguments.of(report(n -> n.put("period_start", "2024-01-01")), Reason.PERIOD_END_BEFORE_START),
                Arguments.of(report(n -> n.put("period_start", "2023-11-01")), Reason.PERIOD_LENGTH_MISMATCH),
                Arguments.of(report(n -> n.put("period_start", "2023-07-01")), Reason.PERIOD_LENGTH_MISMATCH),
                Arguments.of(report(n -> n.put("fiscal_period", "FY")), Reason.PERIOD_LENGTH_MISMATCH),
                Arguments.of(
                        report(n -> n.put("fiscal_period", "TTM").put("period_start", "2021-12-31")),
                        Reason.PERIOD_LENGTH_MISMATCH),
                Arguments.of(report(n -> n.put("fiscal_year", 2026)), Reason.INVALID_FISCAL_YEAR),
                Arguments.of(report(n -> n.put("fiscal_year", 24)), Reason.INVALID_FISCAL_YEAR),
                Arguments.of(report(n -> n.put("filing_date", "2023-12-29")), Reason.FILED_BEFORE_PERIOD_END),
                Arguments.of(report(n -> n.put("currency", "usd")), Reason.UNKNOWN_CURRENCY),
                Arguments.of(report(n -> n.put("currency", "US$")), Reason.UNKNOWN_CURRENCY),
                Arguments.of(report(n -> n.put("currency", "XYZ")), Reason.UNKNOWN_CURRENCY),
                Arguments.of(report(n -> n.put("net_income", Double.NaN)), Reason.NON_FINITE_AMOUNT),
                Arguments.of(report(n -> n.put("eps_basic", Double.POSITIVE_INFINITY)), Reason.NON_FINITE_AMOUNT),
                Arguments.of(report(n -> n.put("revenue", -1.0)), Reason.NEGATIVE_AMOUNT),
                Arguments.of(report(n -> n.put("total_assets", -1.0)), Reason.NEGATIVE_AMOUNT),
                Arguments.of(report(n -> n.put("total_liabilities", -1.0)), Reason.NEGATIVE_AMOUNT),
                Arguments.of(report(n -> n.put("gross_profit", 119575000001.0)), Reason.GROSS_PROFIT_ABOVE_REVENUE),
                Arguments.of(
                        report(n -> n.retain(
                                "symbol",
                                "fiscal_year",
                                "fiscal_period",
                                "period_start",
                                "period_end",
                                "filing_date",
                                "currency")),
                        Reason.NO_VALUES));
    }

    @ParameterizedTest
    @MethodSource("brokenReports")
    void rejectsEachBrokenRuleWithItsReason(Fundamentals report, Reason expected) {
        Violation violation = validator.check(report);
        assertThat(violation).as(String.valueOf(report)).isNotNull();
        assertThat(violation.reason()).isEqualTo(expected.name());
        assertThat(violation.message()).isNotBlank();
    }

    @Test
    void saysHowLongThePeriodWas() {
        assertThat(validator
                        .check(report(n -> n.put("period_start", "2023-11-01")))
                        .message())
                .isEqualTo("a Q1 period lasts 84-120 days, this one 60 (2023-11-01 to 2023-12-30)");
        assertThat(report(n -> {}).periodEnd()).isEqualTo(LocalDate.of(2023, 12, 30));
    }

    @Test
    void listsEveryReason() {
        assertThat(validator.reasons()).hasSize(Reason.values().length).contains("UNKNOWN_PERIOD");
    }
}
