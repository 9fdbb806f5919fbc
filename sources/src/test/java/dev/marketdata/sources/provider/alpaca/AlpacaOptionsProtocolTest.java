package dev.marketdata.sources.provider.alpaca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.sources.model.OptionQuote;
import dev.marketdata.sources.provider.Page;
import dev.marketdata.sources.provider.PageQuery;
import dev.marketdata.sources.provider.PayloadException;
import dev.marketdata.sources.provider.RejectedItem;
import dev.marketdata.sources.provider.fake.FakeProviderServer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlpacaOptionsProtocolTest {

    private final AlpacaOptionsProtocol options = new AlpacaOptionsProtocol(AlpacaBarsProtocol.defaults(), "opra");
    private final PageQuery query = new PageQuery(
            "AAPL", "AAPL", Instant.parse("2024-03-01T05:00:00Z"), Instant.parse("2024-03-02T05:00:00Z"), Map.of());

    @Test
    void asksForTheChainOfTheFeedAndFollowsThePageToken() {
        assertThat(options.pageRequest(query, Optional.empty()).pathAndQuery())
                .isEqualTo("/v1beta1/options/snapshots/AAPL?feed=opra");
        assertThat(new AlpacaOptionsProtocol(AlpacaBarsProtocol.defaults(), "indicative")
                        .pageRequest(query, Optional.of("QUFQTHxPPQ=="))
                        .pathAndQuery())
                .isEqualTo("/v1beta1/options/snapshots/AAPL?feed=indicative&page_token=QUFQTHxPPQ%3D%3D");
        assertThatThrownBy(() -> new AlpacaOptionsProtocol(AlpacaBarsProtocol.defaults(), "sip"))
                .hasMessage("--alpaca-options-feed must be opra or indicative, not 'sip'");
    }

    @Test
    void readsTheContractFromItsOccSymbolAndEveryOtherFieldAsSent() {
        byte[] body = FakeProviderServer.fixture("/provider/alpaca/options-chain-aapl.json")
                .getBytes(StandardCharsets.UTF_8);
        Page<OptionQuote> page = options.readPage(query, body);
        assertThat(page.records())
                .containsExactly(
                        new OptionQuote(
                                "AAPL240315C00180000",
                                "AAPL",
                                LocalDate.of(2024, 3, 15),
                                180,
                                "call",
                                2.5,
                                2.55,
                                2.52,
                                10L,
                                12L,
                                null,
                                null,
                                0.2411,
                                0.4512,
                                0.041,
                                -0.1207,
                                0.1533,
                                0.0211,
                                Instant.parse("2024-03-01T20:59:59.731674112Z"),
                                "alpaca"),
                        new OptionQuote(
                                "AAPL240315P00150000",
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
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                Instant.parse("2024-03-01T15:00:00Z"),
                                "alpaca"),
                        new OptionQuote(
                                "AAPL240315C00185000",
                                "AAPL",
                                LocalDate.of(2024, 3, 15),
                                185,
                                "call",
                                0.09,
                                0.11,
                                null,
                                3L,
                                5L,
                                null,
                                null,
                                0.25,
                                null,
                                null,
                                null,
                                null,
                                null,
                                Instant.parse("2024-01-31T20:00:00Z"),
                                "alpaca"),
                        new OptionQuote(
                                "AAPL240315C00200000",
                                "AAPL",
                                LocalDate.of(2024, 3, 15),
                                200,
                                "call",
                                0.01,
                                0.02,
                                null,
                                4L,
                                9L,
                                null,
                                null,
                                null,
                                1.7,
                                0.01,
                                -0.01,
                                0.02,
                                0.001,
                                Instant.parse("2024-03-01T16:00:00Z"),
                                "alpaca"));
        assertThat(page.rejects())
                .containsExactly(
                        new RejectedItem(
                                "{\"AAPL240315C00190000\":{\"latestTrade\":{\"c\":\"I\",\"p\":0.4,\"s\":1,"
                                        + "\"t\":\"2024-03-01T16:00:00Z\",\"x\":\"W\"}}}",
                                RejectedItem.MISSING_FIELD,
                                "required field latestQuote is missing"),
                        new RejectedItem(
                                "{\"AAPL240315X00195000\":{\"latestQuote\":{\"ap\":0.3,\"as\":1,\"ax\":\"X\","
                                        + "\"bp\":0.2,\"bs\":1,\"bx\":\"X\",\"c\":\" \",\"t\":\"2024-03-01T16:00:00Z\"}}}",
                                RejectedItem.WRONG_TYPE,
                                "the snapshot's key AAPL240315X00195000 is not an OCC contract "
                                        + "symbol (root, YYMMDD, C or P, strike x 1000 in 8 digits)"));
        assertThat(page.nextCursor()).isEmpty();
    }

    @Test
    void anEmptyChainIsAnEmptyPageAndABrokenOneIsRefused() {
        assertThat(options.readPage(
                                query, "{\"snapshots\":{},\"next_page_token\":null}".getBytes(StandardCharsets.UTF_8))
                        .isEmpty())
                .isTrue();
        assertThatThrownBy(() -> options.readPage(query, "{\"snapshots\":[]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PayloadException.class)
                .hasMessage("snapshots is a JSON ARRAY, not an object");
    }
}
