package dev.marketdata.sources.provider.ibkr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.Credentials;
import dev.marketdata.sources.provider.ProviderItem;
import dev.marketdata.sources.provider.RejectedItem;
import dev.marketdata.sources.provider.fake.BackfillRun;
import dev.marketdata.sources.provider.fake.FakeIbkrServer;
import dev.marketdata.sources.provider.fake.FakeProviderServer;
import dev.marketdata.sources.provider.fake.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The IBKR protocol through the real provider source, against {@link FakeIbkrServer}. */
class IbkrSourceITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    /** One New York day, Monday 2024-03-04 (EST): splits of 480 one-minute bars, 00:00-08:00-16:00-24:00 ET. */
    private static final Instant DAY = Instant.parse("2024-03-04T05:00:00Z");

    private static final Instant NEXT_DAY = Instant.parse("2024-03-05T05:00:00Z");
    /** 08:00 ET: 600 bars run into the third split. */
    private static final Instant FIRST_BAR = Instant.parse("2024-03-04T13:00:00Z");

    @ParameterizedTest(name = "gateway counts back from startTime: {0}")
    @ValueSource(booleans = {false, true})
    void backfillsADayOfMinuteBarsWhicheverWayTheGatewayReadsStartTime(boolean countsBack) throws Exception {
        try (FakeIbkrServer ibkr = gateway()) {
            ibkr.countsBack(countsBack);
            ibkr.volumeFactor(100);
            ibkr.addMinuteBars("265598", FIRST_BAR, 600);
            ibkr.addMinuteBars("72063691", FIRST_BAR, 600);

            List<ProviderItem<Bar>> records =
                    BackfillRun.run(IbkrBarsProtocol.defaults(), settings(ibkr, List.of("AAPL", "BRK.B", "ZZZZ")));

            List<Bar> expected = new ArrayList<>(expectedMinuteBars("AAPL", FIRST_BAR, 600));
            expected.addAll(expectedMinuteBars("BRK.B", FIRST_BAR, 600));
            assertThat(records.stream().filter(ProviderItem::isRecord).map(ProviderItem::record))
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(records.stream().filter(r -> !r.isRecord()))
                    .singleElement()
                    .satisfies(r -> {
                        assertThat(r.reason()).isEqualTo(RejectedItem.UNKNOWN_TICKER);
                        assertThat(r.message())
                                .isEqualTo("ibkr has no stock ZZZZ on AMEX,ARCA,BATS,NASDAQ,NYSE (no matches)");
                    });
            assertThat(ibkr.http().requests().stream().filter(r -> r.path().equals("/iserver/secdef/search")))
                    .extracting(RecordedRequest::target)
                    .containsExactlyInAnyOrder(
                            "/iserver/secdef/search?symbol=AAPL&secType=STK",
                            "/iserver/secdef/search?symbol=BRK%20B&secType=STK",
                            "/iserver/secdef/search?symbol=ZZZZ&secType=STK");
            assertThat(ibkr.http().requests().stream().filter(r -> r.path().equals("/iserver/marketdata/history")))
                    .allSatisfy(r -> assertThat(r.target())
                            .contains("&bar=1min&period=8h&")
                            .contains("&outsideRth=true")
                            .containsPattern("conid=(265598|72063691)&"));
        }
    }

    @Test
    void noBridgeReopensTheBrokerageSessionAndGoesOn() throws Exception {
        try (FakeIbkrServer ibkr = gateway()) {
            ibkr.addMinuteBars("265598", FIRST_BAR, 30);
            ibkr.dropBridge();

            List<ProviderItem<Bar>> records =
                    BackfillRun.run(IbkrBarsProtocol.defaults(), settings(ibkr, List.of("AAPL")));

            assertThat(records)
                    .extracting(ProviderItem::record)
                    .containsExactlyInAnyOrderElementsOf(expectedMinuteBars("AAPL", FIRST_BAR, 30));
            assertThat(ibkr.http().requests())
                    .extracting(r -> r.method() + " " + r.path())
                    .contains("POST /iserver/auth/ssodh/init", "POST /iserver/auth/status", "GET /iserver/accounts");
        }
    }

    @Test
    void aGoneLoginFailsTheJobWithOneLine() {
        try (FakeIbkrServer ibkr = gateway()) {
            ibkr.addMinuteBars("265598", FIRST_BAR, 30);
            ibkr.dropSso();

            assertThatThrownBy(() -> BackfillRun.run(IbkrBarsProtocol.defaults(), settings(ibkr, List.of("AAPL"))))
                    .satisfies(e -> assertThat(
                                    ExceptionUtils.findThrowableWithMessage(e, IbkrBarsProtocol.HUMAN_LOGIN_NEEDED))
                            .isPresent());
            // Once per reader that met the lost session (two readers), never again after the verdict.
            assertThat(ibkr.http().count("/iserver/auth/ssodh/init")).isBetween(1L, 2L);
        }
    }

    @Test
    void historyRequestsOverTheGatewaysLimitGet429AndAreRetried() throws Exception {
        try (FakeIbkrServer ibkr = gateway()) {
            ibkr.addMinuteBars("265598", FIRST_BAR, 30);
            ibkr.othersBusyFor(Duration.ofMillis(700));

            List<ProviderItem<Bar>> records =
                    BackfillRun.run(IbkrBarsProtocol.defaults(), settings(ibkr, List.of("AAPL")));

            assertThat(records)
                    .extracting(ProviderItem::record)
                    .containsExactlyInAnyOrderElementsOf(expectedMinuteBars("AAPL", FIRST_BAR, 30));
            assertThat(ibkr.tooManyRequests()).isPositive();
        }
    }

    private static FakeIbkrServer gateway() {
        FakeIbkrServer ibkr = new FakeIbkrServer();
        ibkr.addSearch("AAPL", FakeProviderServer.fixture("/provider/ibkr/search-aapl.json"));
        ibkr.addSearch("BRK B", FakeProviderServer.fixture("/provider/ibkr/search-brk-b-int-conid.json"));
        return ibkr;
    }

    private static dev.marketdata.sources.provider.ProviderSettings settings(
            FakeIbkrServer ibkr, List<String> tickers) {
        return BackfillRun.settings(ibkr.baseUrl(), Credentials.none(), tickers, "1m", DAY, NEXT_DAY, Map.of());
    }

    static List<Bar> expectedMinuteBars(String symbol, Instant start, int count) {
        return FakeIbkrServer.expectedMinuteBars(symbol, start, count);
    }
}
