package dev.marketdata.sources.provider.alpaca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.BarQuery;
import dev.marketdata.sources.provider.BarsPage;
import dev.marketdata.sources.provider.Credentials;
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

class AlpacaBarsProtocolTest {

    private final AlpacaBarsProtocol protocol = AlpacaBarsProtocol.defaults();

    private static final BarQuery AAPL_1M = new BarQuery(
            "AAPL",
            "AAPL",
            "1m",
            Instant.parse("2024-03-04T14:30:00Z"),
            Instant.parse("2024-03-04T15:00:00Z"),
            Map.of());

    @Test
    void firstPageRequestSendsEveryParameterAndTheFeed() {
        assertThat(protocol.barsRequest(AAPL_1M, Optional.empty()).pathAndQuery())
                .isEqualTo("/v2/stocks/AAPL/bars?timeframe=1Min&start=2024-03-04T14%3A30%3A00Z"
                        + "&end=2024-03-04T14%3A59%3A59.999999999Z&limit=10000&adjustment=raw&feed=iex");
    }

    @Test
    void laterPagesSendThePageTokenAndTheFeedOfTheQuery() {
        BarQuery sip = new BarQuery(
                "BRK.B",
                "BRK.B",
                "1d",
                Instant.parse("2024-03-08T05:00:00Z"),
                Instant.parse("2024-03-09T05:00:00Z"),
                Map.of("feed", "sip"));
        assertThat(protocol.barsRequest(sip, Optional.of("QUFQTHxN==")).pathAndQuery())
                .isEqualTo("/v2/stocks/BRK.B/bars?timeframe=1Day&start=2024-03-08T05%3A00%3A00Z"
                        + "&end=2024-03-09T04%3A59%3A59.999999999Z&limit=10000&adjustment=raw&feed=sip"
                        + "&page_token=QUFQTHxN%3D%3D");
    }

    @Test
    void timeframesMapToAlpacaNames() {
        assertThat(List.of("1m", "5m", "15m", "30m", "1h", "1d").stream().map(AlpacaTimeframe::of))
                .containsExactly("1Min", "5Min", "15Min", "30Min", "1Hour", "1Day");
        assertThat(protocol.supports("1w")).isFalse();
        assertThatThrownBy(() -> new AlpacaBarsProtocol("otc", "raw", "http://x"))
                .hasMessageContaining("iex or sip");
    }

    @Test
    void authenticatesWithTheTwoHeadersOnly() {
        Map<String, String> headers = new HashMap<>();
        protocol.authenticate(headers, Credentials.keyPair("PKTEST", "s3cret"));
        assertThat(headers)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("APCA-API-KEY-ID", "PKTEST", "APCA-API-SECRET-KEY", "s3cret"));
        assertThatThrownBy(() -> protocol.authenticate(new HashMap<>(), Credentials.key("s3cret")))
                .hasMessageNotContaining("s3cret")
                .hasMessageContaining("APCA_API_KEY_ID");
    }

    @Test
    void readsThreePagesFollowingNextPageToken() {
        BarsPage first = protocol.readBars(AAPL_1M, fixture("aapl-1m-page1.json"));
        BarsPage second = protocol.readBars(AAPL_1M, fixture("aapl-1m-page2.json"));
        BarsPage third = protocol.readBars(AAPL_1M, fixture("aapl-1m-page3.json"));

        assertThat(first.bars())
                .containsExactly(
                        bar("AAPL", "1m", "2024-03-04T14:30:00Z", 176.15, 176.9, 176.1, 176.5, 120345, 176.48, 1520L),
                        bar("AAPL", "1m", "2024-03-04T14:31:00.5Z", 176.5, 176.6, 176.2, 176.3, 80211, 176.41, 990L));
        assertThat(first.nextCursor()).contains("QUFQTHxNfDIwMjQtMDMtMDRUMTQ6MzI6MDAuMDAwMDAwMDAwWg==");
        assertThat(second.bars())
                .containsExactly(
                        bar(
                                "AAPL",
                                "1m",
                                "2024-03-04T14:32:00.123456Z",
                                176.3,
                                176.35,
                                176.0,
                                176.05,
                                65002,
                                176.2,
                                801L),
                        bar(
                                "AAPL",
                                "1m",
                                "2024-03-04T14:33:00.123456789Z",
                                176.05,
                                176.2,
                                175.9,
                                176.1,
                                70100,
                                176.07,
                                850L));
        assertThat(second.nextCursor()).contains("QUFQTHxNfDIwMjQtMDMtMDRUMTQ6MzQ6MDAuMDAwMDAwMDAwWg==");
        assertThat(third.bars())
                .containsExactly(
                        bar("AAPL", "1m", "2024-03-04T14:34:00Z", 176.1, 176.4, 176.1, 176.4, 50000, 176.3, 640L));
        assertThat(third.nextCursor()).isEmpty();
        assertThat(first.rejects()).isEmpty();
    }

    @Test
    void readsRfc3339WithZeroToNineFractionalDigits() {
        String fraction = "123456789";
        for (int digits = 0; digits <= 9; digits++) {
            String text = "2024-03-04T14:30:05" + (digits == 0 ? "" : "." + fraction.substring(0, digits)) + "Z";
            long nanos = digits == 0 ? 0 : Long.parseLong(fraction.substring(0, digits) + "0".repeat(9 - digits));
            assertThat(AlpacaTime.parse(text))
                    .as(text)
                    .isEqualTo(Instant.parse("2024-03-04T14:30:05Z").plusNanos(nanos));
        }
        assertThat(AlpacaTime.parse("2024-03-04t09:30:00-05:00")).isEqualTo(Instant.parse("2024-03-04T14:30:00Z"));
    }

    @Test
    void keepsDailyBarsAtNewYorkMidnightInEstAndEdt() {
        BarQuery daily = new BarQuery(
                "AAPL",
                "AAPL",
                "1d",
                Instant.parse("2024-03-08T05:00:00Z"),
                Instant.parse("2024-03-12T04:00:00Z"),
                Map.of());
        assertThat(protocol.readBars(daily, fixture("aapl-1d-est-edt.json")).bars())
                .containsExactly(
                        bar(
                                "AAPL",
                                "1d",
                                "2024-03-08T05:00:00Z",
                                169.0,
                                173.7,
                                168.94,
                                170.73,
                                76267041,
                                170.95,
                                1011202L),
                        bar(
                                "AAPL",
                                "1d",
                                "2024-03-11T04:00:00Z",
                                172.94,
                                174.38,
                                172.05,
                                172.75,
                                60139473,
                                173.2,
                                820313L));
    }

    @Test
    void keepsFractionalVolumeAndMissingVwapAndTradesAsNullAndRejectsBadItems() {
        BarQuery xyz = new BarQuery(
                "XYZ",
                "XYZ",
                "1m",
                Instant.parse("2024-03-04T15:00:00Z"),
                Instant.parse("2024-03-04T16:00:00Z"),
                Map.of());
        BarsPage page = protocol.readBars(xyz, fixture("awkward-items.json"));

        assertThat(page.bars())
                .containsExactly(
                        bar("XYZ", "1m", "2024-03-04T15:00:00Z", 10.5, 10.6, 10.4, 10.55, 1200, null, null),
                        bar("XYZ", "1m", "2024-03-04T15:01:00Z", 10.55, 10.7, 10.5, 10.6, 0.25, null, 3L),
                        bar("XYZ", "1m", "2024-03-04T15:02:00Z", 10.6, 10.6, 10.6, 10.6, 1_029_145, 10.6, 12L));
        assertThat(page.rejects())
                .containsExactly(
                        new RejectedItem(
                                "{\"t\":\"2024-03-04T15:03:00Z\",\"h\":10.6,\"l\":10.6,\"c\":10.6,\"v\":100}",
                                RejectedItem.MISSING_FIELD,
                                "field 'o' is missing"),
                        new RejectedItem(
                                "{\"t\":\"4 March 2024 15:04\",\"o\":10.6,\"h\":10.6,\"l\":10.6,\"c\":10.6,\"v\":100}",
                                RejectedItem.WRONG_TYPE,
                                "field 't' is not an RFC 3339 time: '4 March 2024 15:04'"),
                        new RejectedItem(
                                "{\"t\":\"2024-03-04T15:05:00Z\",\"o\":\"10.6\",\"h\":10.6,\"l\":10.6,\"c\":10.6,\"v\":100}",
                                RejectedItem.WRONG_TYPE,
                                "field 'o' is not a number: \"10.6\""),
                        new RejectedItem(
                                "{\"t\":\"2024-03-04T15:06:00Z\",\"o\":10.6,\"h\":10.6,\"l\":10.6,\"c\":10.6,\"v\":100,\"n\":2.5}",
                                RejectedItem.WRONG_TYPE,
                                "field 'n' is not an integer: 2.5"),
                        new RejectedItem("\"not a bar\"", RejectedItem.WRONG_TYPE, "bar is not a JSON object"));
        assertThat(page.nextCursor())
                .as("an empty next_page_token ends the pages")
                .isEmpty();
    }

    @Test
    void absentNullAndEmptyBarsAreAnEmptyPage() {
        for (String body : List.of(
                "{\"bars\":null,\"symbol\":\"AAPL\",\"next_page_token\":null}",
                "{\"symbol\":\"AAPL\"}",
                "{\"bars\":[],\"symbol\":\"AAPL\"}",
                "{\"bars\":{},\"next_page_token\":null}")) {
            assertThat(protocol.readBars(AAPL_1M, body.getBytes(StandardCharsets.UTF_8))
                            .isEmpty())
                    .as(body)
                    .isTrue();
        }
    }

    @Test
    void readsTheMultiSymbolShapeAndRejectsBarsOfAnotherSymbol() {
        BarQuery aapl = new BarQuery(
                "AAPL",
                "AAPL",
                "1d",
                Instant.parse("2022-04-11T04:00:00Z"),
                Instant.parse("2022-04-12T04:00:00Z"),
                Map.of());
        BarsPage page = protocol.readBars(aapl, fixture("multi-symbol.json"));
        assertThat(page.bars())
                .containsExactly(bar(
                        "AAPL",
                        "1d",
                        "2022-04-11T04:00:00Z",
                        168.77,
                        169.03,
                        166.1,
                        166.975,
                        40180280,
                        167.08951,
                        435528L));
        assertThat(page.rejects()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(AlpacaBarsProtocol.UNEXPECTED_SYMBOL);
            assertThat(r.message()).isEqualTo("bars for symbol 'TSLA', not the requested 'AAPL'");
            assertThat(r.raw()).startsWith("[{\"t\":\"2022-04-11T04:00:00Z\",\"o\":980.14");
        });
    }

    @Test
    void aBodyThatIsNotABarsAnswerIsMalformed() {
        assertThatThrownBy(() -> protocol.readBars(AAPL_1M, "{\"bars\":[{\"t\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PayloadException.class)
                .hasMessageStartingWith("Alpaca bars answer is not JSON");
        assertThatThrownBy(() -> protocol.readBars(AAPL_1M, "{\"bars\":\"none\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PayloadException.class)
                .hasMessage("Alpaca bars answer: 'bars' is neither an array nor an object");
        assertThatThrownBy(() -> protocol.readBars(
                        AAPL_1M, "{\"bars\":[],\"symbol\":\"MSFT\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PayloadException.class)
                .hasMessage("Alpaca bars answer is for symbol 'MSFT', not the requested 'AAPL'");
        assertThatThrownBy(() -> protocol.readBars(AAPL_1M, new byte[0])).isInstanceOf(PayloadException.class);
    }

    @Test
    void classifiesErrorBodies() {
        assertThat(protocol.readError(
                        403,
                        Map.of(),
                        bytes("{\"message\":\"subscription does not permit querying recent SIP data\"}")))
                .isEqualTo(ProviderError.fatal(403, "subscription does not permit querying recent SIP data"));
        assertThat(protocol.readError(401, Map.of(), bytes("{\"message\":\"unauthorized.\"}")))
                .isEqualTo(ProviderError.fatal(401, "unauthorized."));
        assertThat(protocol.readError(
                        429, Map.of("retry-after", List.of("3")), bytes("{\"message\":\"rate limit exceeded\"}")))
                .isEqualTo(ProviderError.retryable(429, "rate limit exceeded", Optional.of(Duration.ofSeconds(3))));
        assertThat(protocol.readError(429, Map.of(), bytes("{\"message\":\"rate limit exceeded\"}")))
                .isEqualTo(ProviderError.retryable(429, "rate limit exceeded", Optional.empty()));
        assertThat(protocol.readError(502, Map.of(), bytes("<html>Bad Gateway</html>")))
                .isEqualTo(ProviderError.retryable(502, "<html>Bad Gateway</html>", Optional.empty()));
        assertThat(protocol.readError(422, Map.of(), bytes("{\"message\":\"invalid timeframe\"}")))
                .isEqualTo(ProviderError.malformed(422, "invalid timeframe"));
        assertThat(protocol.readError(400, Map.of(), new byte[0])).isEqualTo(ProviderError.malformed(400, "HTTP 400"));
    }

    @Test
    void looksTickersUpInTheAssetsOfTheTradingApi() {
        assertThat(protocol.lookupRequest("BRK.B").pathAndQuery()).isEqualTo("/v2/assets/BRK.B");
        assertThat(protocol.lookupBaseUrl()).contains("https://paper-api.alpaca.markets");
        assertThat(protocol.readLookup("AAPL", 200, fixture("asset-aapl.json")))
                .isEqualTo(new TickerLookup.Known("AAPL", "AAPL"));
        assertThat(protocol.readLookup(
                        "XYZQ", 404, bytes("{\"code\":40410000,\"message\":\"asset not found for XYZQ\"}")))
                .isEqualTo(new TickerLookup.Unknown("XYZQ", "alpaca has no asset XYZQ (asset not found for XYZQ)"));
        assertThat(protocol.readLookup("BTCUSD", 200, bytes("{\"class\":\"crypto\",\"symbol\":\"BTC/USD\"}")))
                .isEqualTo(new TickerLookup.Unknown(
                        "BTCUSD", "alpaca asset BTCUSD is of class crypto, not a us_equity stock"));
    }

    static Bar bar(
            String symbol,
            String timeframe,
            String ts,
            double o,
            double h,
            double l,
            double c,
            double v,
            Double vw,
            Long n) {
        return new Bar(symbol, timeframe, Instant.parse(ts), o, h, l, c, v, vw, n, "alpaca");
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] fixture(String name) {
        try (InputStream in = AlpacaBarsProtocolTest.class.getResourceAsStream("/provider/alpaca/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
