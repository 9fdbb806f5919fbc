package dev.marketdata.sources.provider.alpaca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.Credentials;
import dev.marketdata.sources.provider.ProviderItem;
import dev.marketdata.sources.provider.RejectedItem;
import dev.marketdata.sources.provider.fake.BackfillRun;
import dev.marketdata.sources.provider.fake.FakeAlpacaServer;
import dev.marketdata.sources.provider.fake.FakeResponse;
import dev.marketdata.sources.provider.fake.RecordedRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Alpaca protocol through the real provider source, against {@link FakeAlpacaServer}. */
class AlpacaSourceITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final Instant OPEN = Instant.parse("2024-03-04T14:30:00Z");
    private static final Instant TO = Instant.parse("2024-03-04T16:00:00Z");

    @Test
    void backfillsTheIexFeedAcrossThreePagesAndDeadLettersAnUnknownTicker() throws Exception {
        try (FakeAlpacaServer alpaca = new FakeAlpacaServer()) {
            alpaca.pageSize(40);
            for (String symbol : List.of("AAPL", "BRK.B")) {
                alpaca.addMinuteBars("iex", symbol, OPEN, 90);
                alpaca.addMinuteBars("sip", symbol, OPEN, 90);
            }

            List<ProviderItem<Bar>> records = BackfillRun.run(
                    protocol(alpaca),
                    BackfillRun.settings(
                            alpaca.data().baseUrl(),
                            credentials(),
                            List.of("AAPL", "BRK.B", "ZZZZ"),
                            "1m",
                            OPEN,
                            TO,
                            Map.of()));

            List<Bar> expected = new ArrayList<>();
            for (String symbol : List.of("AAPL", "BRK.B")) {
                expected.addAll(expectedMinuteBars("iex", symbol, OPEN, 90));
            }
            assertThat(records.stream().filter(ProviderItem::isRecord).map(ProviderItem::record))
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(records.stream().filter(r -> !r.isRecord()))
                    .singleElement()
                    .satisfies(r -> {
                        assertThat(r.ticker()).isEqualTo("ZZZZ");
                        assertThat(r.reason()).isEqualTo(RejectedItem.UNKNOWN_TICKER);
                        assertThat(r.message()).isEqualTo("alpaca has no asset ZZZZ (asset not found for ZZZZ)");
                    });

            List<RecordedRequest> bars = alpaca.data().requests();
            assertThat(bars).hasSize(6).allSatisfy(r -> {
                assertThat(r.path()).matches("/v2/stocks/(AAPL|BRK\\.B)/bars");
                assertThat(r.target())
                        .contains("&feed=iex")
                        .contains("timeframe=1Min")
                        .contains("&limit=10000");
            });
            assertThat(bars.stream().filter(r -> r.target().contains("page_token=")))
                    .hasSize(4);
            assertThat(alpaca.trading().requests())
                    .extracting(RecordedRequest::target)
                    .containsExactlyInAnyOrder("/v2/assets/AAPL", "/v2/assets/BRK.B", "/v2/assets/ZZZZ");
        }
    }

    @Test
    void aBadKeyFailsTheJobWithOneLineWithoutTheKey() {
        try (FakeAlpacaServer alpaca = new FakeAlpacaServer()) {
            alpaca.addMinuteBars("iex", "AAPL", OPEN, 3);
            Credentials wrong = Credentials.keyPair(FakeAlpacaServer.KEY_ID, "sk_WRONG_secret_value");

            assertThatThrownBy(() -> BackfillRun.run(
                            protocol(alpaca),
                            BackfillRun.settings(
                                    alpaca.data().baseUrl(), wrong, List.of("AAPL"), "1m", OPEN, TO, Map.of())))
                    .satisfies(e -> {
                        Throwable root = ExceptionUtils.findThrowableWithMessage(e, "HTTP 403")
                                .orElseThrow();
                        assertThat(root.getMessage())
                                .isEqualTo("alpaca: AAPL: HTTP 403: forbidden. (GET /v2/assets/AAPL)")
                                .doesNotContain("sk_WRONG_secret_value");
                    });
            assertThat(alpaca.trading().requests()).hasSize(1);
            assertThat(alpaca.data().requests()).isEmpty();
        }
    }

    @Test
    void aStormOf429sIsWaitedOutWithAndWithoutRetryAfter() throws Exception {
        try (FakeAlpacaServer alpaca = new FakeAlpacaServer()) {
            alpaca.addAsset("AAPL");
            String page = "{\"bars\":[" + FakeAlpacaServer.minuteBar("iex", "AAPL", OPEN, 0) + ","
                    + FakeAlpacaServer.minuteBar("iex", "AAPL", OPEN.plusSeconds(60), 1)
                    + "],\"symbol\":\"AAPL\",\"next_page_token\":null}";
            alpaca.data()
                    .script(
                            "/v2/stocks/AAPL/bars*",
                            FakeResponse.json(429, FakeAlpacaServer.RATE_LIMITED)
                                    .withHeader("Retry-After", "1"),
                            FakeResponse.json(429, FakeAlpacaServer.RATE_LIMITED),
                            FakeResponse.json(429, FakeAlpacaServer.RATE_LIMITED),
                            FakeResponse.ok(page));

            List<ProviderItem<Bar>> records = BackfillRun.run(
                    protocol(alpaca),
                    BackfillRun.settings(
                            alpaca.data().baseUrl(), credentials(), List.of("AAPL"), "1m", OPEN, TO, Map.of()));

            assertThat(records)
                    .extracting(ProviderItem::record)
                    .containsExactlyElementsOf(expectedMinuteBars("iex", "AAPL", OPEN, 2));
            assertThat(alpaca.data().count("/v2/stocks/AAPL/bars")).isEqualTo(4);
        }
    }

    private static AlpacaBarsProtocol protocol(FakeAlpacaServer alpaca) {
        return new AlpacaBarsProtocol("iex", "raw", alpaca.trading().baseUrl());
    }

    private static Credentials credentials() {
        return Credentials.keyPair(FakeAlpacaServer.KEY_ID, FakeAlpacaServer.SECRET);
    }

    static List<Bar> expectedMinuteBars(String feed, String symbol, Instant start, int count) {
        return FakeAlpacaServer.expectedMinuteBars(feed, symbol, start, count);
    }
}
