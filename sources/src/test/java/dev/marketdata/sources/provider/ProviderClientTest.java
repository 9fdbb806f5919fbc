package dev.marketdata.sources.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.sources.provider.ProviderSettings.HttpSettings;
import dev.marketdata.sources.provider.fake.FakePolygonServer;
import dev.marketdata.sources.provider.fake.FakeResponse;
import dev.marketdata.sources.provider.fake.RecordedRequest;
import dev.marketdata.sources.provider.polygon.PolygonProtocol;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP executor on its own: retries, the rate limiter, and the metrics it keeps. */
class ProviderClientTest {

    private final FakePolygonServer polygon = new FakePolygonServer();

    @AfterEach
    void stop() {
        polygon.close();
    }

    private ProviderSettings settings(int requestsPerMinute) {
        return new ProviderSettings(
                polygon.baseUrl(),
                Credentials.key(FakePolygonServer.KEY),
                List.of("AAPL"),
                "1m",
                Instant.parse("2024-03-01T05:00:00Z"),
                Instant.parse("2024-03-02T05:00:00Z"),
                Map.of(),
                requestsPerMinute,
                new HttpSettings(
                        Duration.ofSeconds(2),
                        Duration.ofMillis(2000),
                        Duration.ofSeconds(10),
                        Duration.ofMillis(5),
                        Duration.ofMillis(20),
                        2,
                        false));
    }

    @Test
    void countsRequestsByStatusClassRetriesLatencyAndRateLimiterWaits() throws Exception {
        polygon.addBars("AAPL");
        polygon.http()
                .scriptOnce(
                        "/v3/reference/tickers/AAPL",
                        FakeResponse.json(429, FakePolygonServer.RATE_LIMITED).withHeader("Retry-After", "0"),
                        FakeResponse.json(503, "{}"),
                        FakeResponse.hang());
        RecordingMetricGroup group = new RecordingMetricGroup();
        ProviderClient client = new ProviderClient(
                new PolygonProtocol(),
                settings(600),
                new ProviderMetrics(group, Provider.POLYGON),
                new RateLimiter(600));

        HttpAnswer answer = client.call(HttpRequestSpec.get("/v3/reference/tickers/AAPL"), "AAPL", true)
                .get();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(group.count("provider.polygon.status_class.4xx.requests")).isEqualTo(1);
        assertThat(group.count("provider.polygon.status_class.5xx.requests")).isEqualTo(1);
        assertThat(group.count("provider.polygon.status_class.none.requests")).isEqualTo(1);
        assertThat(group.count("provider.polygon.status_class.2xx.requests")).isEqualTo(1);
        assertThat(group.count("provider.polygon.retries")).isEqualTo(3);
        assertThat(group.count("provider.polygon.requestLatencyMs")).isEqualTo(4);
        // 600 a minute: one request every 100 ms, so the three after the first waited for the limiter.
        assertThat(group.count("provider.polygon.rateLimitWaitMs")).isGreaterThan(0);
        List<RecordedRequest> requests = polygon.http().requests();
        assertThat(requests).hasSize(4);
        // The limiter spaces the sends 100 ms apart; arrivals carry each request's own transit jitter, so the
        // span of the four is what holds (a single gap was seen at 89.5 ms on a busy machine).
        assertThat(requests.get(3).receivedAtNanos() - requests.get(0).receivedAtNanos())
                .isGreaterThanOrEqualTo(Duration.ofMillis(3 * 100 - 10).toNanos());
    }
}
