package dev.marketdata.sources.provider.ibkr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.BarQuery;
import dev.marketdata.sources.provider.BarsPage;
import dev.marketdata.sources.provider.HttpRequestSpec;
import dev.marketdata.sources.provider.PayloadException;
import dev.marketdata.sources.provider.ProviderError;
import dev.marketdata.sources.provider.RejectedItem;
import dev.marketdata.sources.provider.TickerLookup;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IbkrBarsProtocolTest {

    private final IbkrBarsProtocol protocol = IbkrBarsProtocol.defaults();

    private static final BarQuery AAPL_1M = new BarQuery(
            "AAPL",
            "265598",
            "1m",
            Instant.parse("2024-03-04T14:30:00Z"),
            Instant.parse("2024-03-04T14:35:00Z"),
            Map.of());

    @Test
    void picksTheUsListingAmongSeveralContractMatches() {
        assertThat(protocol.lookupRequest("AAPL").pathAndQuery())
                .isEqualTo("/iserver/secdef/search?symbol=AAPL&secType=STK");
        assertThat(protocol.readLookup("AAPL", 200, fixture("search-aapl.json")))
                .isEqualTo(new TickerLookup.Known("AAPL", "265598"));
    }

    @Test
    void readsAnIntegerConidAndTheExchangeFromTheCompanyHeaderOfAClassShare() {
        assertThat(protocol.lookupRequest("BRK.B").pathAndQuery())
                .isEqualTo("/iserver/secdef/search?symbol=BRK%20B&secType=STK");
        assertThat(protocol.readLookup("BRK.B", 200, fixture("search-brk-b-int-conid.json")))
                .isEqualTo(new TickerLookup.Known("BRK.B", "72063691"));
    }

    @Test
    void aTickerWithoutAUsStockMatchIsUnknownWithWhatWasFound() {
        assertThat(protocol.readLookup("AAPL", 200, fixture("search-foreign-only.json")))
                .isEqualTo(new TickerLookup.Unknown(
                        "AAPL",
                        "ibkr has no stock AAPL on AMEX,ARCA,BATS,NASDAQ,NYSE"
                                + " (matches: AAPL on MEXI 38708077; AAPL on NASDAQ 999)"));
        assertThat(protocol.readLookup("XYZQ", 200, bytes("[]")))
                .isEqualTo(new TickerLookup.Unknown(
                        "XYZQ", "ibkr has no stock XYZQ on AMEX,ARCA,BATS,NASDAQ,NYSE" + " (no matches)"));
        assertThat(protocol.readLookup("XYZQ", 200, bytes("{\"error\":\"No symbol found\"}")))
                .isEqualTo(new TickerLookup.Unknown("XYZQ", "ibkr contract search for XYZQ: No symbol found"));
        assertThatThrownBy(() -> protocol.readLookup("AAPL", 200, bytes("{\"conid\":1}")))
                .isInstanceOf(PayloadException.class);
    }

    @Test
    void historyRequestAsksTheWindowForwardFirst() {
        assertThat(protocol.barsRequest(AAPL_1M, Optional.empty()).pathAndQuery())
                .isEqualTo("/iserver/marketdata/history?conid=265598&bar=1min&period=5min"
                        + "&startTime=20240304-14%3A30%3A00&outsideRth=true");
        assertThat(protocol.barsRequest(AAPL_1M, Optional.of("1709562600000-1709562900000-B"))
                        .pathAndQuery())
                .isEqualTo("/iserver/marketdata/history?conid=265598&bar=1min&period=5min"
                        + "&startTime=20240304-14%3A35%3A00&outsideRth=true");
        Map<String, String> headers = new HashMap<>();
        protocol.authenticate(headers, dev.marketdata.sources.provider.Credentials.none());
        assertThat(headers).isEmpty();
    }

    @Test
    void windowsAreWholePeriodsOfAtMostEightHoursOrThirtyMinutes() {
        Instant from = Instant.parse("2024-03-04T05:00:00Z");
        Instant to = Instant.parse("2024-03-05T05:00:00Z").plus(Duration.ofMinutes(47));
        List<String> periods = new java.util.ArrayList<>();
        Optional<IbkrWindow> window = Optional.of(IbkrWindow.first(from, to));
        Instant covered = from;
        while (window.isPresent()) {
            assertThat(window.get().start()).isEqualTo(covered);
            periods.add(window.get().period());
            covered = window.get().end();
            window = window.get().next(to);
        }
        assertThat(covered).isEqualTo(to);
        assertThat(periods).containsExactly("8h", "8h", "8h", "30min", "17min");
        assertThat(IbkrWindow.ofCursor(IbkrWindow.first(from, to).backward(true).cursor()))
                .isEqualTo(new IbkrWindow(from, from.plus(Duration.ofHours(8)), IbkrWindow.Reading.BACKWARD, true));
        assertThatThrownBy(() -> IbkrWindow.ofCursor("/v2/next?cursor=x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsBarsScalingVolumeByVolumeFactorAndNotPricesByPriceFactor() {
        BarsPage page = protocol.readBars(AAPL_1M, Optional.empty(), fixture("history-aapl-1m.json"));
        assertThat(page.bars())
                .containsExactly(
                        bar("2024-03-04T14:30:00Z", 176.15, 176.9, 176.1, 176.5, 120345),
                        bar("2024-03-04T14:31:00Z", 176.5, 176.6, 176.2, 176.3, 80211),
                        bar("2024-03-04T14:32:00Z", 176.3, 176.35, 176.0, 176.05, 65002));
        assertThat(page.rejects())
                .containsExactly(
                        new RejectedItem(
                                "{\"o\":176.05,\"c\":176.1,\"h\":176.2,\"l\":175.9,\"t\":1709562780000}",
                                RejectedItem.MISSING_FIELD,
                                "field 'v' is missing"),
                        new RejectedItem(
                                "{\"o\":176.1,\"c\":176.4,\"h\":176.4,\"l\":176.1,\"v\":500,\"t\":\"20240304-14:34:00\"}",
                                RejectedItem.WRONG_TYPE,
                                "field 't' is not epoch milliseconds: \"20240304-14:34:00\""));
        assertThat(page.nextCursor()).as("the query is one window").isEmpty();
    }

    @Test
    void readsTheDocumentedDailyExampleWithItsTimestampRepaired() {
        BarQuery day = new BarQuery(
                "AAPL",
                "265598",
                "1d",
                Instant.parse("2023-08-18T04:00:00Z"),
                Instant.parse("2023-08-19T04:00:00Z"),
                Map.of());
        // Three 8-hour windows; the bar (08:00Z) falls in the first.
        BarsPage page = protocol.readBars(day, Optional.empty(), fixture("history-aapl-1d.json"));
        assertThat(page.bars())
                .containsExactly(new Bar(
                        "AAPL",
                        "1d",
                        Instant.parse("2023-08-18T08:00:00Z"),
                        173.4,
                        175.1,
                        171.7,
                        174.7,
                        472117.45,
                        null,
                        null,
                        "ibkr"));
        assertThat(page.nextCursor()).contains("1692360000000-1692388800000-F");
    }

    @Test
    void aGatewayThatCountsBackIsAskedTheSameWindowBackward() {
        // Asked forward from 14:30, the gateway answered the five minutes before it.
        String countedBack = "{\"startTime\":\"20240304-14:25:00\",\"volumeFactor\":1,\"data\":["
                + "{\"o\":1,\"c\":1,\"h\":1,\"l\":1,\"v\":1,\"t\":1709562300000},"
                + "{\"o\":1,\"c\":1,\"h\":1,\"l\":1,\"v\":1,\"t\":1709562540000}]}";
        BarsPage first = protocol.readBars(AAPL_1M, Optional.empty(), bytes(countedBack));
        assertThat(first.bars()).isEmpty();
        assertThat(first.rejects()).isEmpty();
        assertThat(first.nextCursor()).contains("1709562600000-1709562900000-B");

        // Asked backward from 14:35, it answers the window itself (its end included).
        String window = "{\"volumeFactor\":1,\"data\":["
                + "{\"o\":2,\"c\":2,\"h\":2,\"l\":2,\"v\":7,\"t\":1709562600000},"
                + "{\"o\":3,\"c\":3,\"h\":3,\"l\":3,\"v\":8,\"t\":1709562900000}]}";
        BarsPage second = protocol.readBars(AAPL_1M, first.nextCursor(), bytes(window));
        assertThat(second.bars()).containsExactly(bar("2024-03-04T14:30:00Z", 2, 2, 2, 2, 7));
        assertThat(second.nextCursor()).isEmpty();
    }

    @Test
    void aGatewayCountingBackIncludesItsStartTimeAndThatBarIsKeptOnce() {
        // Asked forward from 14:30, it answered 14:25-14:30 with the end included: 14:30 is the window's.
        String countedBack = "{\"volumeFactor\":1,\"data\":["
                + "{\"o\":1,\"c\":1,\"h\":1,\"l\":1,\"v\":1,\"t\":1709562540000},"
                + "{\"o\":2,\"c\":2,\"h\":2,\"l\":2,\"v\":7,\"t\":1709562600000}]}";
        BarsPage first = protocol.readBars(AAPL_1M, Optional.empty(), bytes(countedBack));
        assertThat(first.bars()).containsExactly(bar("2024-03-04T14:30:00Z", 2, 2, 2, 2, 7));
        assertThat(first.nextCursor()).contains("1709562600000-1709562900000-B1");

        String window = "{\"volumeFactor\":1,\"data\":["
                + "{\"o\":2,\"c\":2,\"h\":2,\"l\":2,\"v\":7,\"t\":1709562600000},"
                + "{\"o\":4,\"c\":4,\"h\":4,\"l\":4,\"v\":9,\"t\":1709562660000}]}";
        BarsPage second = protocol.readBars(AAPL_1M, first.nextCursor(), bytes(window));
        assertThat(second.bars()).containsExactly(bar("2024-03-04T14:31:00Z", 4, 4, 4, 4, 9));
        assertThat(second.nextCursor()).isEmpty();
    }

    @Test
    void anEmptyForwardAnswerIsAskedBackwardAndThatAnswerIsFinal() {
        for (String empty : List.of("{\"data\":[]}", "{\"data\":null}", "{\"symbol\":\"AAPL\"}")) {
            BarsPage first = protocol.readBars(AAPL_1M, Optional.empty(), bytes(empty));
            assertThat(first.bars()).isEmpty();
            assertThat(first.nextCursor()).contains("1709562600000-1709562900000-B");
            BarsPage second = protocol.readBars(AAPL_1M, first.nextCursor(), bytes(empty));
            assertThat(second.isEmpty()).as(empty).isTrue();
        }
        // A forward gateway asked backward answers the period after the window: nothing of it is kept.
        String after = "{\"data\":[{\"o\":1,\"c\":1,\"h\":1,\"l\":1,\"v\":1,\"t\":1709562900000}]}";
        assertThat(protocol.readBars(AAPL_1M, Optional.of("1709562600000-1709562900000-B"), bytes(after))
                        .isEmpty())
                .isTrue();
    }

    @Test
    void aBodyThatIsNotAHistoryAnswerIsMalformed() {
        assertThatThrownBy(() -> protocol.readBars(AAPL_1M, Optional.empty(), bytes("{\"data\":[{\"t\":")))
                .isInstanceOf(PayloadException.class)
                .hasMessageStartingWith("IBKR history answer is not JSON");
        assertThatThrownBy(() -> protocol.readBars(AAPL_1M, Optional.empty(), bytes("{\"data\":{}}")))
                .isInstanceOf(PayloadException.class)
                .hasMessage("IBKR history 'data' is not an array");
        assertThatThrownBy(() -> protocol.readBars(AAPL_1M, Optional.empty(), bytes("[1,2]")))
                .isInstanceOf(PayloadException.class)
                .hasMessage("IBKR history answer is not a JSON object");
    }

    @Test
    void noBridgeAndEmptyAnswersAreSessionErrors() {
        assertThat(protocol.readError(400, Map.of(), bytes("{\"error\":\"no bridge\"}")))
                .isEqualTo(ProviderError.session(400, "no bridge"));
        assertThat(protocol.readError(401, Map.of(), new byte[0]))
                .isEqualTo(ProviderError.session(401, "empty answer (no brokerage session)"));
        assertThat(protocol.readError(400, Map.of(), new byte[0]))
                .isEqualTo(ProviderError.session(400, "empty answer (no brokerage session)"));
        assertThatThrownBy(() -> protocol.readBars(AAPL_1M, Optional.empty(), new byte[0]))
                .isInstanceOfSatisfying(IbkrAnswerException.class, e -> assertThat(e.error())
                        .isEqualTo(ProviderError.session(200, "empty answer (no brokerage session)")));
        assertThat(protocol.sessionRecovery())
                .extracting(HttpRequestSpec::toString)
                .containsExactly(
                        "POST /iserver/auth/ssodh/init?publish=true&compete=true",
                        "POST /iserver/auth/status",
                        "GET /iserver/accounts");
        assertThat(protocol.readAuthStatus(
                        200, bytes("{\"authenticated\":true,\"competing\":false,\"connected\":true}")))
                .isEqualTo(IbkrBarsProtocol.SessionStatus.AUTHENTICATED);
        assertThat(protocol.readAuthStatus(200, bytes("{\"authenticated\":false,\"connected\":true}")))
                .isEqualTo(IbkrBarsProtocol.SessionStatus.CONNECTING);
        assertThat(protocol.readAuthStatus(200, bytes("{\"authenticated\":false,\"connected\":false}")))
                .isEqualTo(IbkrBarsProtocol.SessionStatus.LOGIN_NEEDED);
        assertThat(protocol.readAuthStatus(401, new byte[0])).isEqualTo(IbkrBarsProtocol.SessionStatus.LOGIN_NEEDED);
    }

    @Test
    void errorsHiddenInA200AreFoundOnlyInHistoryAnswers() {
        HttpRequestSpec history = protocol.barsRequest(AAPL_1M, Optional.empty());
        assertThat(protocol.readErrorIn2xx(history, new byte[0]))
                .contains(ProviderError.session(200, "empty answer (no brokerage session)"));
        assertThat(protocol.readErrorIn2xx(history, bytes("{\"error\":\"Chart data is not available\"}")))
                .contains(ProviderError.retryable(200, "Chart data is not available", Optional.empty()));
        assertThat(protocol.readErrorIn2xx(history, fixture("history-aapl-1m.json")))
                .isEmpty();
        assertThat(protocol.readErrorIn2xx(protocol.lookupRequest("XYZQ"), bytes("{\"error\":\"No symbol found\"}")))
                .isEmpty();
    }

    @Test
    void aLostSsoSessionFailsWithOneLineAskingForALogin() {
        HttpRequestSpec status = protocol.sessionRecovery().get(1);
        assertThat(protocol.readSessionRecovery(status, 200, bytes("{\"authenticated\":false,\"connected\":false}")))
                .contains(IbkrBarsProtocol.HUMAN_LOGIN_NEEDED);
        assertThat(protocol.readSessionRecovery(status, 200, bytes("{\"authenticated\":true,\"connected\":true}")))
                .isEmpty();
        assertThat(protocol.readSessionRecovery(protocol.sessionRecovery().get(0), 401, new byte[0]))
                .isEmpty();
    }

    @Test
    void rateLimitServerErrorsAndMissingChartDataAreRetried() {
        assertThat(protocol.readError(
                        429, Map.of("Retry-After", List.of("2")), bytes("{\"error\":\"Too many requests\"}")))
                .isEqualTo(ProviderError.retryable(429, "Too many requests", Optional.of(Duration.ofSeconds(2))));
        assertThat(protocol.readError(500, Map.of(), bytes("{\"error\":\"Chart data is not available\"}")))
                .isEqualTo(ProviderError.retryable(500, "Chart data is not available", Optional.empty()));
        assertThatThrownBy(() -> protocol.readBars(
                        AAPL_1M, Optional.empty(), bytes("{\"error\":\"Chart data is not available\"}")))
                .isInstanceOfSatisfying(IbkrAnswerException.class, e -> assertThat(e.error())
                        .isEqualTo(ProviderError.retryable(200, "Chart data is not available", Optional.empty())));
        assertThat(protocol.readError(400, Map.of(), bytes("{\"error\":\"Bar type is invalid\"}")))
                .isEqualTo(ProviderError.malformed(400, "Bar type is invalid"));
        assertThat(protocol.readError(403, Map.of(), bytes("{\"error\":\"no market data permissions\"}")))
                .isEqualTo(ProviderError.fatal(403, "no market data permissions"));
    }

    private static Bar bar(String ts, double o, double h, double l, double c, double v) {
        return new Bar("AAPL", "1m", Instant.parse(ts), o, h, l, c, v, null, null, "ibkr");
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] fixture(String name) {
        try (InputStream in = IbkrBarsProtocolTest.class.getResourceAsStream("/provider/ibkr/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
