package dev.marketdata.sources.provider.polygon;

import static dev.marketdata.sources.provider.fake.FakeProviderServer.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.Credentials;
import dev.marketdata.sources.provider.ProviderFatalException;
import dev.marketdata.sources.provider.ProviderItem;
import dev.marketdata.sources.provider.ProviderRetriesExhaustedException;
import dev.marketdata.sources.provider.ProviderSettings;
import dev.marketdata.sources.provider.ProviderSettings.HttpSettings;
import dev.marketdata.sources.provider.ProviderSource;
import dev.marketdata.sources.provider.fake.FakePolygonServer;
import dev.marketdata.sources.provider.fake.FakeResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Polygon source against {@link FakePolygonServer}: every awkward answer of the reference, end to end. */
class PolygonSourceITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final Instant DAY = Instant.parse("2024-03-01T05:00:00Z"); // Friday 2024-03-01, 00:00 New York (EST)
    static final Instant NEXT_DAY = Instant.parse("2024-03-02T05:00:00Z");
    static final Instant OPEN = Instant.parse("2024-03-01T14:30:00Z");
    static final String AGGS =
            "/v2/aggs/ticker/AAPL/range/1/minute/1709269200000/1709355599999" + "?adjusted=true&sort=asc&limit=50000";

    private final FakePolygonServer polygon = new FakePolygonServer();

    @AfterEach
    void stop() {
        polygon.close();
    }

    static HttpSettings fastRetries() {
        return withRequestTimeout(Duration.ofSeconds(5));
    }

    static HttpSettings withRequestTimeout(Duration timeout) {
        return new HttpSettings(
                Duration.ofSeconds(2),
                timeout,
                Duration.ofSeconds(20),
                Duration.ofMillis(10),
                Duration.ofMillis(100),
                2,
                false);
    }

    ProviderSettings settings(List<String> tickers, String timeframe, Instant from, Instant to, String key) {
        return new ProviderSettings(
                polygon.baseUrl(), Credentials.key(key), tickers, timeframe, from, to, Map.of(), 6000, fastRetries());
    }

    List<ProviderItem<Bar>> run(ProviderSettings settings, int parallelism) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        List<ProviderItem<Bar>> out = new ArrayList<>();
        try (CloseableIterator<ProviderItem<Bar>> it = env.fromSource(
                        ProviderSource.bars(new PolygonProtocol(), settings),
                        WatermarkStrategy.noWatermarks(),
                        "polygon")
                .uid("polygon")
                .executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    List<ProviderItem<Bar>> run(ProviderSettings settings) throws Exception {
        return run(settings, 1);
    }

    static List<Bar> bars(List<ProviderItem<Bar>> records) {
        return records.stream()
                .filter(ProviderItem::isRecord)
                .map(ProviderItem::record)
                .toList();
    }

    static List<ProviderItem<Bar>> rejects(List<ProviderItem<Bar>> records) {
        return records.stream().filter(r -> !r.isRecord()).toList();
    }

    static List<Bar> generated(String ticker, int count) {
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bars.add(FakePolygonServer.expectedMinuteBar(ticker, OPEN.plusSeconds(60L * i), i));
        }
        return bars;
    }

    @Test
    void followsNextUrlAcrossThreePagesOnItsOwnBaseUrlWithTheBearerKey() throws Exception {
        polygon.addMinuteBars("AAPL", OPEN, 25);
        polygon.pageSize(10);

        List<ProviderItem<Bar>> records = run(settings(List.of("AAPL"), "1m", DAY, NEXT_DAY, FakePolygonServer.KEY));

        assertThat(bars(records)).containsExactlyElementsOf(generated("AAPL", 25));
        assertThat(rejects(records)).isEmpty();
        assertThat(polygon.http().count("/v3/reference/tickers/AAPL")).isEqualTo(1);
        assertThat(polygon.http().count("/v2/aggs/")).isEqualTo(3);
        assertThat(polygon.http().requests()).allSatisfy(r -> {
            assertThat(r.header("authorization")).isEqualTo("Bearer " + FakePolygonServer.KEY);
            assertThat(r.target()).doesNotContain(FakePolygonServer.KEY);
        });
    }

    @Test
    void readsExponentAndFractionalVolumeKeepsMissingVwapAndTradesNullAndRejectsABarWithoutT() throws Exception {
        polygon.addBars("AAPL");
        polygon.http().script(AGGS, FakeResponse.ok(fixture("/fixtures/polygon/awkward-values.json")));

        List<ProviderItem<Bar>> records = run(settings(List.of("AAPL"), "1m", DAY, NEXT_DAY, FakePolygonServer.KEY));

        assertThat(bars(records))
                .containsExactly(
                        new Bar("AAPL", "1m", OPEN, 170.0, 170.5, 169.9, 170.2, 1029145.0, 170.1234, 5012L, "polygon"),
                        new Bar(
                                "AAPL",
                                "1m",
                                OPEN.plusSeconds(60),
                                170.2,
                                170.3,
                                170.0,
                                170.1,
                                1523.75,
                                null,
                                null,
                                "polygon"),
                        new Bar(
                                "AAPL",
                                "1m",
                                OPEN.plusSeconds(120),
                                170.1,
                                170.2,
                                169.95,
                                170.0,
                                800,
                                170.05,
                                12L,
                                "polygon"));
        assertThat(rejects(records))
                .containsExactly(new ProviderItem<Bar>(
                        null,
                        "AAPL",
                        "MISSING_FIELD",
                        "required field t is missing",
                        "{\"v\":900,\"vw\":170.05,\"o\":170.1,\"c\":170.0,\"h\":170.2,\"l\":169.95,\"n\":12}",
                        "polygon GET " + AGGS));
    }

    @Test
    void dropsAnIdenticalRepeatAndDeadLettersADifferentRepeatAndABarOutsideTheWindow() throws Exception {
        polygon.addBars("AAPL");
        polygon.http().script(AGGS, FakeResponse.ok(fixture("/fixtures/polygon/duplicates-and-outside.json")));

        List<ProviderItem<Bar>> records = run(settings(List.of("AAPL"), "1m", DAY, NEXT_DAY, FakePolygonServer.KEY));

        assertThat(bars(records))
                .containsExactly(new Bar("AAPL", "1m", OPEN, 170.0, 170.0, 170.0, 170.0, 100, 170.0, 1L, "polygon"));
        assertThat(rejects(records))
                .extracting(ProviderItem::reason, ProviderItem::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "OUTSIDE_WINDOW",
                                "record time 2020-01-02T05:00:00Z is outside"
                                        + " the requested window [2024-03-01T05:00:00Z, 2024-03-02T05:00:00Z)"),
                        org.assertj.core.groups.Tuple.tuple(
                                "DUPLICATE_BAR",
                                "a second, different record at 2024-03-01T14:30:00Z in the same response"));
    }

    @Test
    void keepsDailyBarsStampedAtNewYorkMidnightInWinterAndSummerTime() throws Exception {
        polygon.addFixture("AAPL", "/fixtures/polygon/daily-est-edt.json");

        List<ProviderItem<Bar>> records = run(settings(
                List.of("AAPL"),
                "1d",
                Instant.parse("2024-03-08T05:00:00Z"),
                Instant.parse("2024-03-12T04:00:00Z"),
                FakePolygonServer.KEY));

        assertThat(bars(records))
                .extracting(Bar::ts)
                .containsExactly(Instant.parse("2024-03-08T05:00:00Z"), Instant.parse("2024-03-11T04:00:00Z"));
        assertThat(bars(records).get(0).volume()).isEqualTo(4.1e7);
        // Friday and Monday: the weekend is never asked for.
        assertThat(polygon.http().count("/v2/aggs/")).isEqualTo(2);
    }

    @Test
    void believesResultsNullThenAbsentOnATradingDayOnlyAfterAskingAgain() throws Exception {
        polygon.addBars("AAPL");
        polygon.http()
                .script(
                        AGGS,
                        FakeResponse.ok(fixture("/fixtures/polygon/results-null.json")),
                        FakeResponse.ok(fixture("/fixtures/polygon/results-absent.json")));

        List<ProviderItem<Bar>> records = run(settings(List.of("AAPL"), "1m", DAY, NEXT_DAY, FakePolygonServer.KEY));

        // The first answer and two more (the empty-retry budget of fastRetries()), then believed: no bar invented.
        assertThat(records).isEmpty();
        assertThat(polygon.http().count("/v2/aggs/")).isEqualTo(3);
    }

    @Test
    void aTransientEmptyAnswerIsRetriedUntilTheDataComes() throws Exception {
        polygon.addMinuteBars("AAPL", OPEN, 3);
        String real = polygonAnswer();
        polygon.http()
                .script(AGGS, FakeResponse.ok(fixture("/fixtures/polygon/results-null.json")), FakeResponse.ok(real));

        List<ProviderItem<Bar>> records = run(settings(List.of("AAPL"), "1m", DAY, NEXT_DAY, FakePolygonServer.KEY));

        assertThat(bars(records)).containsExactlyElementsOf(generated("AAPL", 3));
        assertThat(polygon.http().count("/v2/aggs/")).isEqualTo(1 + 2);
    }

    @Test
    void believesAnEmptyAnswerOnAHolidayAtOnce() throws Exception {
        polygon.addBars("AAPL");
        Instant newYear = Instant.parse("2024-01-01T05:00:00Z");

        List<ProviderItem<Bar>> records =
                run(settings(List.of("AAPL"), "1m", newYear, newYear.plus(Duration.ofDays(1)), FakePolygonServer.KEY));

        assertThat(records).isEmpty();
        assertThat(polygon.http().count("/v2/aggs/")).isEqualTo(1);
    }

    /** The fake's real answer for AAPL's day, fetched once directly (for scripting it after failures). */
    private String polygonAnswer() throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(polygon.baseUrl() + AGGS))
                                .header("Authorization", "Bearer " + FakePolygonServer.KEY)
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    @Test
    void waitsOutA429StormAsRetryAfterSays() throws Exception {
        polygon.addMinuteBars("AAPL", OPEN, 3);
        String real = polygonAnswer();
        FakeResponse limited =
                FakeResponse.json(429, FakePolygonServer.RATE_LIMITED).withHeader("Retry-After", "1");
        polygon.http().script(AGGS, limited, limited, FakeResponse.ok(real));

        long start = System.nanoTime();
        List<ProviderItem<Bar>> records = run(settings(List.of("AAPL"), "1m", DAY, NEXT_DAY, FakePolygonServer.KEY));

        assertThat(bars(records)).containsExactlyElementsOf(generated("AAPL", 3));
        assertThat(polygon.http().count("/v2/aggs/")).isEqualTo(1 + 3);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void retriesA500A429WithoutHeaderAHangAndACutConnection() throws Exception {
        polygon.addMinuteBars("AAPL", OPEN, 3);
        String real = polygonAnswer();
        polygon.http()
                .script(
                        AGGS,
                        FakeResponse.json(500, "{\"status\":\"ERROR\",\"error\":\"internal\"}"),
                        FakeResponse.json(429, FakePolygonServer.RATE_LIMITED),
                        FakeResponse.hang(),
                        FakeResponse.ok(real).truncatedAt(40),
                        FakeResponse.ok(real));

        ProviderSettings fast = settings(List.of("AAPL"), "1m", DAY, NEXT_DAY, FakePolygonServer.KEY);
        List<ProviderItem<Bar>> records = run(new ProviderSettings(
                fast.baseUrl(),
                fast.credentials(),
                fast.tickers(),
                fast.timeframe(),
                fast.from(),
                fast.to(),
                fast.options(),
                6000,
                withRequestTimeout(Duration.ofMillis(1500))));

        assertThat(bars(records)).containsExactlyElementsOf(generated("AAPL", 3));
        assertThat(polygon.http().count("/v2/aggs/")).isEqualTo(1 + 5);
    }

    @Test
    void failsTheTaskWhenTheRetryBudgetIsSpent() {
        polygon.addBars("AAPL");
        polygon.http().script(AGGS, FakeResponse.json(503, "{\"status\":\"ERROR\",\"error\":\"unavailable\"}"));
        ProviderSettings settings = settings(List.of("AAPL"), "1m", DAY, NEXT_DAY, FakePolygonServer.KEY);
        ProviderSettings tight = new ProviderSettings(
                settings.baseUrl(),
                settings.credentials(),
                settings.tickers(),
                settings.timeframe(),
                settings.from(),
                settings.to(),
                settings.options(),
                6000,
                new HttpSettings(
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(5),
                        Duration.ofMillis(300),
                        Duration.ofMillis(10),
                        Duration.ofMillis(50),
                        2,
                        false));

        assertThatThrownBy(() -> run(tight))
                .satisfies(e -> assertThat(ExceptionUtils.findThrowable(e, ProviderRetriesExhaustedException.class))
                        .hasValueSatisfying(exhausted -> assertThat(exhausted.getMessage())
                                .startsWith("polygon: AAPL: GET " + AGGS + ": still failing after ")
                                .endsWith("(retry budget 0.3 s): HTTP 503: unavailable")));
    }

    @Test
    void deadLettersAPageThatIsNotJsonWithItsPathAndGoesOn() throws Exception {
        polygon.addBars("AAPL");
        polygon.addMinuteBars("MSFT", OPEN, 2);
        String body = fixture("/fixtures/polygon/malformed.json");
        polygon.http().script(AGGS, FakeResponse.ok(body));

        List<ProviderItem<Bar>> records =
                run(settings(List.of("AAPL", "MSFT"), "1m", DAY, NEXT_DAY, FakePolygonServer.KEY));

        assertThat(bars(records)).containsExactlyElementsOf(generated("MSFT", 2));
        assertThat(rejects(records)).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("MALFORMED_BODY");
            assertThat(r.message()).startsWith("not JSON: Unexpected end-of-input");
            assertThat(r.raw()).isEqualTo(body);
            assertThat(r.origin()).isEqualTo("polygon GET " + AGGS);
        });
    }

    @Test
    void endsTheSplitOnANextUrlWithABrokenHostKeepingThePageBefore() throws Exception {
        polygon.addBars("AAPL");
        polygon.http().script(AGGS, FakeResponse.ok(fixture("/fixtures/polygon/broken-next-url.json")));

        List<ProviderItem<Bar>> records = run(settings(List.of("AAPL"), "1m", DAY, NEXT_DAY, FakePolygonServer.KEY));

        assertThat(bars(records))
                .containsExactly(new Bar("AAPL", "1m", OPEN, 170.0, 170.0, 170.0, 170.0, 100, 170.0, 1L, "polygon"));
        assertThat(rejects(records)).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("BROKEN_PAGINATION");
            assertThat(r.message()).startsWith("cannot fetch the next page: next_url");
            assertThat(r.raw())
                    .isEqualTo("https://api.polygon.io:443:443/v2/aggs/ticker/AAPL/range/1/minute/"
                            + "1709269200000/1709355599999?cursor=YWJj");
        });
        assertThat(polygon.http().count("/v2/aggs/")).isEqualTo(1);
    }

    @Test
    void deadLettersAnUnknownTickerAndFetchesTheOthers() throws Exception {
        polygon.addMinuteBars("MSFT", OPEN, 2);

        List<ProviderItem<Bar>> records =
                run(settings(List.of("NOPE", "MSFT"), "1m", DAY, NEXT_DAY, FakePolygonServer.KEY), 2);

        assertThat(bars(records)).containsExactlyElementsOf(generated("MSFT", 2));
        assertThat(rejects(records))
                .containsExactly(new ProviderItem<Bar>(
                        null,
                        "NOPE",
                        "UNKNOWN_TICKER",
                        "polygon has no ticker NOPE (Ticker not found.)",
                        "{\"status\":\"NOT_FOUND\",\"request_id\":\"x\",\"message\":\"Ticker not found.\"}",
                        "polygon GET /v3/reference/tickers/NOPE"));
        assertThat(polygon.http().count("/v2/aggs/ticker/NOPE")).isZero();
    }

    @Test
    void failsAtOnceOnABadKeyWithOneLineWithoutTheKey() {
        polygon.addMinuteBars("AAPL", OPEN, 2);
        String wrongKey = "pk_WRONG_k3y_9876543210";

        assertThatThrownBy(() -> run(settings(List.of("AAPL"), "1m", DAY, NEXT_DAY, wrongKey)))
                .satisfies(e -> {
                    assertThat(ExceptionUtils.findThrowable(e, ProviderFatalException.class))
                            .hasValueSatisfying(
                                    fatal -> assertThat(fatal.getMessage())
                                            .isEqualTo(
                                                    "polygon: AAPL: HTTP 401: Unknown API Key (GET /v3/reference/tickers/AAPL)"));
                    assertThat(ExceptionUtils.stringifyException(e)).doesNotContain(wrongKey);
                });
        assertThat(polygon.http().count("/")).isEqualTo(1);
    }

    @Test
    void readersShareTheJobsRequestRate() throws Exception {
        for (String ticker : List.of("AAA", "BBB", "CCC")) {
            polygon.addMinuteBars(ticker, OPEN, 1);
        }
        ProviderSettings fast = settings(List.of("AAA", "BBB", "CCC"), "1m", DAY, NEXT_DAY, FakePolygonServer.KEY);
        ProviderSettings sixtyAMinute = new ProviderSettings(
                fast.baseUrl(),
                fast.credentials(),
                fast.tickers(),
                fast.timeframe(),
                fast.from(),
                fast.to(),
                fast.options(),
                60,
                fast.http());

        List<ProviderItem<Bar>> records = run(sixtyAMinute, 2);

        assertThat(bars(records)).hasSize(3);
        // Six requests at one a second for the whole job: three lookups (0, 1, 2 s), then the two readers at 30 a
        // minute each, so one of them waits two seconds for its second split. At 60 a minute each it would be one.
        List<dev.marketdata.sources.provider.fake.RecordedRequest> requests =
                polygon.http().requests();
        assertThat(requests).hasSize(6);
        assertThat(Duration.ofNanos(
                        requests.get(5).receivedAtNanos() - requests.get(0).receivedAtNanos()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(3800));
    }
}
