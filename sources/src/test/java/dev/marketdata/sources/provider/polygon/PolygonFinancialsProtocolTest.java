package dev.marketdata.sources.provider.polygon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.sources.model.Fundamentals;
import dev.marketdata.sources.provider.Page;
import dev.marketdata.sources.provider.PageQuery;
import dev.marketdata.sources.provider.RawItems;
import dev.marketdata.sources.provider.RejectedItem;
import dev.marketdata.sources.provider.fake.FakeProviderServer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolygonFinancialsProtocolTest {

    private final PolygonFinancialsProtocol financials = new PolygonFinancialsProtocol();

    private static PageQuery query(String ticker, String from, String to) {
        return new PageQuery(ticker, ticker, Instant.parse(from), Instant.parse(to), Map.of());
    }

    private static byte[] body(String resource) {
        return ("{\"status\":\"OK\",\"request_id\":\"r\",\"results\":" + FakeProviderServer.fixture(resource) + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void asksForTheFilingsOfTheNewYorkDaysThatStartInTheWindow() {
        assertThat(financials
                        .pageRequest(query("BRK.B", "2024-02-01T05:00:00Z", "2024-02-06T05:00:00Z"), Optional.empty())
                        .pathAndQuery())
                .isEqualTo("/vX/reference/financials?ticker=BRK.B&filing_date.gte=2024-02-01"
                        + "&filing_date.lte=2024-02-05&order=asc&sort=filing_date&limit=100");
        // An instant inside a day: that day's start is before the window, so the day is not asked for.
        assertThat(financials
                        .pageRequest(query("AAPL", "2024-02-01T15:00:00Z", "2024-02-03T15:00:00Z"), Optional.empty())
                        .pathAndQuery())
                .contains("filing_date.gte=2024-02-02&filing_date.lte=2024-02-03");
        assertThat(financials
                        .pageRequest(
                                query("AAPL", "2024-02-01T05:00:00Z", "2024-02-06T05:00:00Z"),
                                Optional.of("https://api.massive.com/vX/reference/financials?cursor=Y3Vy"))
                        .pathAndQuery())
                .isEqualTo("/vX/reference/financials?cursor=Y3Vy");
    }

    @Test
    void readsTheStatementLinesTtmAsTtmAndRefusesMixedCurrencies() {
        byte[] body = body("/provider/polygon/financials-aapl.json");
        Page<Fundamentals> page =
                financials.readPage(query("AAPL", "2024-02-01T05:00:00Z", "2024-02-06T05:00:00Z"), body);
        assertThat(page.records())
                .containsExactly(
                        new Fundamentals(
                                "AAPL",
                                2024,
                                "Q1",
                                LocalDate.of(2023, 10, 1),
                                LocalDate.of(2023, 12, 30),
                                LocalDate.of(2024, 2, 2),
                                119575000000.0,
                                54855000000.0,
                                40373000000.0,
                                33916000000.0,
                                2.19,
                                2.18,
                                353514000000.0,
                                279414000000.0,
                                74100000000.0,
                                39895000000.0,
                                "USD",
                                "polygon"),
                        new Fundamentals(
                                "AAPL",
                                2024,
                                "TTM",
                                LocalDate.of(2023, 1, 1),
                                LocalDate.of(2023, 12, 30),
                                LocalDate.of(2024, 2, 2),
                                385706000000.0,
                                null,
                                null,
                                100913000000.0,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                "USD",
                                "polygon"),
                        new Fundamentals(
                                "AAPL",
                                2023,
                                "Q4",
                                LocalDate.of(2023, 7, 2),
                                LocalDate.of(2023, 9, 30),
                                LocalDate.of(2024, 2, 5),
                                89498000000.0,
                                90000000000.0,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                "USD",
                                "polygon"),
                        new Fundamentals(
                                "AAPL",
                                2023,
                                "Q1",
                                LocalDate.of(2022, 10, 1),
                                LocalDate.of(2022, 12, 31),
                                LocalDate.of(2023, 2, 3),
                                117154000000.0,
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
                                "polygon"));
        assertThat(page.rejects())
                .containsExactly(new RejectedItem(
                        RawItems.of(body, "results").get(2),
                        PolygonFinancialsProtocol.MIXED_UNITS,
                        "statement lines in USD and EUR (balance_sheet.assets)"));
        assertThat(financials.timeOf(page.records().get(0))).isEqualTo(Instant.parse("2024-02-02T05:00:00Z"));
        assertThat(page.nextCursor()).isEmpty();
    }

    @Test
    void aResultWithoutFilingDateLinesOrTheTickerIsDeadLettered() {
        byte[] body = body("/provider/polygon/financials-jpm.json");
        Page<Fundamentals> page =
                financials.readPage(query("JPM", "2024-02-01T05:00:00Z", "2024-02-06T05:00:00Z"), body);
        assertThat(page.records())
                .containsExactly(new Fundamentals(
                        "JPM",
                        2023,
                        "Q4",
                        LocalDate.of(2023, 10, 1),
                        LocalDate.of(2023, 12, 31),
                        LocalDate.of(2024, 2, 2),
                        38574000000.0,
                        null,
                        null,
                        9307000000.0,
                        3.04,
                        null,
                        3875393000000.0,
                        null,
                        null,
                        null,
                        "USD",
                        "polygon"));
        List<String> raws = RawItems.of(body, "results");
        assertThat(page.rejects())
                .containsExactly(new RejectedItem(
                        raws.get(1), RejectedItem.MISSING_FIELD, "required field filing_date is missing"));
        Page<Fundamentals> other =
                financials.readPage(query("GOOG", "2024-02-01T05:00:00Z", "2024-02-06T05:00:00Z"), body);
        assertThat(other.records()).isEmpty();
        assertThat(other.rejects())
                .extracting(RejectedItem::reason)
                .containsExactly(PolygonFinancialsProtocol.OTHER_TICKER, PolygonFinancialsProtocol.OTHER_TICKER);
        String noLines = "{\"results\":[{\"tickers\":[\"JPM\"],\"start_date\":\"2023-10-01\",\"end_date\":"
                + "\"2023-12-31\",\"filing_date\":\"2024-02-02\",\"fiscal_period\":\"Q4\",\"fiscal_year\":\"2023\","
                + "\"financials\":{\"income_statement\":{\"revenues\":{\"label\":\"Revenues\",\"unit\":\"USD\"}}}}]}";
        assertThat(financials
                        .readPage(
                                query("JPM", "2024-02-01T05:00:00Z", "2024-02-06T05:00:00Z"),
                                noLines.getBytes(StandardCharsets.UTF_8))
                        .rejects())
                .extracting(RejectedItem::message)
                .containsExactly("required field income_statement.revenues.value is missing");
    }
}
