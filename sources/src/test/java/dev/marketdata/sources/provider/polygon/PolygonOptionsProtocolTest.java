package dev.marketdata.sources.provider.polygon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.sources.model.OptionQuote;
import dev.marketdata.sources.provider.Page;
import dev.marketdata.sources.provider.PageQuery;
import dev.marketdata.sources.provider.PayloadException;
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

class PolygonOptionsProtocolTest {

    private final PolygonOptionsProtocol options = new PolygonOptionsProtocol();
    private final PageQuery query = new PageQuery(
            "AAPL", "AAPL", Instant.parse("2024-03-01T05:00:00Z"), Instant.parse("2024-03-02T05:00:00Z"), Map.of());

    private static byte[] chain(String nextUrl) {
        String results = FakeProviderServer.fixture("/provider/polygon/options-chain-aapl.json");
        return ("{\"request_id\":\"r\",\"status\":\"OK\",\"results\":" + results
                        + (nextUrl == null ? "" : ",\"next_url\":\"" + nextUrl + "\"") + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void asksForTheWholeChainAndFollowsNextUrlOnTheConfiguredHost() {
        assertThat(options.pageRequest(query, Optional.empty()).pathAndQuery())
                .isEqualTo("/v3/snapshot/options/AAPL?limit=250");
        assertThat(options.pageRequest(
                                query, Optional.of("https://api.massive.com/v3/snapshot/options/AAPL?cursor=YWJj"))
                        .pathAndQuery())
                .isEqualTo("/v3/snapshot/options/AAPL?cursor=YWJj");
        assertThatThrownBy(() -> options.pageRequest(query, Optional.of("https://api.polygon.io:443:443/v3/x?c=1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(options.dataset()).isEqualTo("options");
        assertThat(options.transport().provider().id()).isEqualTo("polygon");
    }

    @Test
    void readsEveryFieldAsSentNanosecondsExactlyAndNothingInvented() {
        byte[] body = chain("https://api.massive.com/v3/snapshot/options/AAPL?cursor=YWJj");
        Page<OptionQuote> page = options.readPage(query, body);
        assertThat(page.records())
                .containsExactly(
                        new OptionQuote(
                                "O:AAPL240315C00180000",
                                "AAPL",
                                LocalDate.of(2024, 3, 15),
                                180,
                                "call",
                                2.5,
                                2.55,
                                2.52,
                                10L,
                                12L,
                                1543L,
                                20311L,
                                0.2411,
                                0.4512,
                                0.041,
                                -0.1207,
                                0.1533,
                                null,
                                Instant.parse("2024-03-01T20:59:59.123456789Z"),
                                "polygon"),
                        new OptionQuote(
                                "O:AAPL240315P00150000",
                                "AAPL",
                                LocalDate.of(2024, 3, 15),
                                150,
                                "put",
                                0,
                                0.05,
                                null,
                                0L,
                                250L,
                                null,
                                0L,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                Instant.parse("2024-03-01T15:00:00Z"),
                                "polygon"),
                        new OptionQuote(
                                "O:AAPL240315C00185000",
                                "AAPL",
                                LocalDate.of(2024, 3, 15),
                                185,
                                "call",
                                0.09,
                                0.11,
                                null,
                                3L,
                                5L,
                                12L,
                                911L,
                                0.25,
                                0.21,
                                0.03,
                                -0.09,
                                0.1,
                                null,
                                Instant.parse("2024-01-31T20:00:00Z"),
                                "polygon"),
                        new OptionQuote(
                                "O:AAPL211022C000150000",
                                "AAPL",
                                LocalDate.of(2022, 1, 21),
                                150,
                                "call",
                                120.28,
                                120.3,
                                null,
                                8L,
                                4L,
                                868L,
                                1543L,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                Instant.parse("2024-03-01T20:58:20Z"),
                                "polygon"));
        List<String> raws = RawItems.of(body, "results");
        assertThat(page.rejects())
                .containsExactly(
                        new RejectedItem(
                                raws.get(3), RejectedItem.MISSING_FIELD, "required field last_quote is missing"),
                        new RejectedItem(
                                raws.get(4),
                                RejectedItem.WRONG_TYPE,
                                "last_updated is not an integer: 1.60519591850725171E18"));
        assertThat(raws.get(4)).contains("\"last_updated\":1.6051959185072517e18");
        assertThat(page.nextCursor()).contains("https://api.massive.com/v3/snapshot/options/AAPL?cursor=YWJj");
        assertThat(options.timeOf(page.records().get(0))).isEqualTo(Instant.parse("2024-03-01T20:59:59.123456789Z"));
    }

    @Test
    void absentOrNullResultsAreAnEmptyPageAndABrokenBodyIsRefused() {
        assertThat(options.readPage(query, "{\"status\":\"OK\",\"request_id\":\"r\"}".getBytes(StandardCharsets.UTF_8))
                        .isEmpty())
                .isTrue();
        assertThat(options.readPage(query, "{\"status\":\"OK\",\"results\":null}".getBytes(StandardCharsets.UTF_8))
                        .isEmpty())
                .isTrue();
        assertThatThrownBy(() -> options.readPage(query, "{\"results\":[".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PayloadException.class)
                .hasMessageStartingWith("not JSON");
    }
}
