package dev.marketdata.sources.provider.polygon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.sources.provider.BarQuery;
import dev.marketdata.sources.provider.Credentials;
import dev.marketdata.sources.provider.PayloadException;
import dev.marketdata.sources.provider.ProviderError;
import dev.marketdata.sources.provider.TickerLookup;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolygonProtocolTest {

    private final PolygonProtocol polygon = new PolygonProtocol();
    private final Instant from = Instant.parse("2024-03-01T05:00:00Z");
    private final Instant to = Instant.parse("2024-03-02T05:00:00Z");

    private BarQuery query(String timeframe) {
        return new BarQuery("BRK.B", "BRK.B", timeframe, from, to, Map.of());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void asksForTheWindowInMillisecondsWithAnInclusiveEnd() {
        assertThat(polygon.barsRequest(query("1m"), Optional.empty()).pathAndQuery())
                .isEqualTo(
                        "/v2/aggs/ticker/BRK.B/range/1/minute/1709269200000/1709355599999?adjusted=true&sort=asc&limit=50000");
        assertThat(polygon.barsRequest(query("15m"), Optional.empty()).path()).contains("/range/15/minute/");
        assertThat(polygon.barsRequest(query("1h"), Optional.empty()).path()).contains("/range/1/hour/");
        assertThat(polygon.barsRequest(query("1d"), Optional.empty()).path()).contains("/range/1/day/");
        assertThat(polygon.supports("1d")).isTrue();
        assertThat(polygon.supports("1mo")).isFalse();
    }

    @Test
    void followsNextUrlOnItsOwnBaseTakingOnlyPathAndQuery() {
        assertThat(polygon.barsRequest(
                                query("1m"),
                                Optional.of("https://api.polygon.io/v2/aggs/ticker/AAPL/range/1/"
                                        + "day/1578114000000/2020-01-10?cursor=bGltaXQ9MiZzb3J0PWFzYw"))
                        .pathAndQuery())
                .isEqualTo("/v2/aggs/ticker/AAPL/range/1/day/1578114000000/2020-01-10?cursor=bGltaXQ9MiZzb3J0PWFzYw");
        assertThatThrownBy(() -> polygon.barsRequest(
                        query("1m"),
                        Optional.of("https://api.polygon.io:443:443/v2/aggs/ticker/AAPL?cursor=x&apiKey=SECRET")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apiKey=***")
                .hasMessageNotContaining("SECRET");
    }

    @Test
    void sendsTheKeyAsABearerHeader() {
        Map<String, String> headers = new HashMap<>();
        polygon.authenticate(headers, Credentials.key("k3y"));
        assertThat(headers).containsExactly(Map.entry("Authorization", "Bearer k3y"));
    }

    @Test
    void classifiesErrorsAsTheOfficialClientDoes() {
        assertThat(polygon.readError(401, Map.of(), bytes("{\"status\":\"ERROR\",\"error\":\"Unknown API Key\"}")))
                .isEqualTo(ProviderError.fatal(401, "Unknown API Key"));
        assertThat(polygon.readError(
                        403,
                        Map.of(),
                        bytes("{\"status\":\"NOT_AUTHORIZED\",\"message\":\"You are not"
                                + " entitled to this data.\"}")))
                .isEqualTo(ProviderError.fatal(403, "You are not entitled to this data."));
        assertThat(polygon.readError(429, Map.of("retry-after", List.of("7")), bytes("{}")))
                .isEqualTo(ProviderError.retryable(429, "{}", Optional.of(Duration.ofSeconds(7))));
        assertThat(polygon.readError(502, Map.of(), bytes("<html>bad gateway</html>")))
                .isEqualTo(ProviderError.retryable(502, "<html>bad gateway</html>", Optional.empty()));
        assertThat(polygon.readError(499, Map.of(), new byte[0]).kind()).isEqualTo(ProviderError.Kind.RETRYABLE);
        assertThat(polygon.readError(400, Map.of(), bytes("{\"error\":\"bad from\"}")))
                .isEqualTo(ProviderError.malformed(400, "bad from"));
    }

    @Test
    void looksTickersUpInTheReference() {
        assertThat(polygon.lookupRequest("BRK.B").pathAndQuery()).isEqualTo("/v3/reference/tickers/BRK.B");
        assertThat(polygon.readLookup("AAPL", 200, bytes("{\"results\":{\"ticker\":\"AAPL\"},\"status\":\"OK\"}")))
                .isEqualTo(new TickerLookup.Known("AAPL", "AAPL"));
        assertThat(polygon.readLookup(
                        "XYZ", 404, bytes("{\"status\":\"NOT_FOUND\",\"message\":\"Ticker not found.\"}")))
                .isEqualTo(new TickerLookup.Unknown("XYZ", "polygon has no ticker XYZ (Ticker not found.)"));
        assertThat(polygon.readLookup("XYZ", 200, bytes("{\"results\":[],\"count\":0}")))
                .isInstanceOf(TickerLookup.Unknown.class);
        assertThatThrownBy(() -> polygon.readLookup("AAPL", 200, bytes("<html>")))
                .isInstanceOf(PayloadException.class);
    }

    @Test
    void readsResultsAbsentOrNullAsNoBarsAndAWrongShapeAsUnreadable() {
        assertThat(polygon.readBars(query("1m"), bytes("{\"status\":\"OK\",\"resultsCount\":0}"))
                        .isEmpty())
                .isTrue();
        assertThat(polygon.readBars(query("1m"), bytes("{\"status\":\"OK\",\"results\":null}"))
                        .isEmpty())
                .isTrue();
        assertThatThrownBy(() -> polygon.readBars(query("1m"), bytes("{\"results\":{\"t\":1}}")))
                .isInstanceOf(PayloadException.class)
                .hasMessage("results is a JSON OBJECT, not an array");
        assertThatThrownBy(() -> polygon.readBars(query("1m"), bytes("[]"))).isInstanceOf(PayloadException.class);
    }

    @Test
    void deadLettersAnItemWithItsExactText() {
        var page = polygon.readBars(
                query("1m"),
                bytes(
                        "{\"status\":\"OK\", \"results\": [ {\"t\": 1709303400000,"
                                + " \"o\":1,\"h\":1,\"l\":1,\"c\":1,\"v\":1.029145e+06} ,\n  { \"o\":1, \"v\":1.029145e+06 } ]}"));
        assertThat(page.bars()).hasSize(1);
        assertThat(page.rejects()).singleElement().satisfies(r -> assertThat(r.raw())
                .isEqualTo("{ \"o\":1, \"v\":1.029145e+06 }"));
    }

    @Test
    void rejectsAnItemWithAWrongTypeButKeepsTheOthers() {
        var page = polygon.readBars(
                query("1m"),
                bytes("{\"results\":["
                        + "{\"o\":1,\"h\":1,\"l\":1,\"c\":1,\"v\":\"100\",\"t\":1709303400000},"
                        + "{\"o\":1,\"h\":1,\"l\":1,\"c\":1,\"v\":100,\"t\":1709303400000.5},"
                        + "{\"o\":1,\"h\":1,\"l\":1,\"c\":1,\"v\":100,\"n\":2.5,\"t\":1709303400000},"
                        + "{\"o\":1,\"h\":1,\"l\":1,\"c\":1,\"v\":100,\"t\":1709303460000}]}"));
        assertThat(page.bars()).hasSize(1);
        assertThat(page.rejects())
                .extracting(r -> r.reason() + ": " + r.message())
                .containsExactly(
                        "WRONG_TYPE: v is not a number: \"100\"",
                        "WRONG_TYPE: t is not an integer of Unix milliseconds: 1.7093034000005E12",
                        "WRONG_TYPE: n is not an integer: 2.5");
        assertThat(page.rejects().get(0).raw())
                .isEqualTo("{\"o\":1,\"h\":1,\"l\":1,\"c\":1,\"v\":\"100\",\"t\":1709303400000}");
    }
}
