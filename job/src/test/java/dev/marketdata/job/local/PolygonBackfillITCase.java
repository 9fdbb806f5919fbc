package dev.marketdata.job.local;

import static dev.marketdata.sources.provider.fake.FakeProviderServer.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.testing.JobProcess;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.BarQuery;
import dev.marketdata.sources.provider.PayloadException;
import dev.marketdata.sources.provider.fake.FakePolygonServer;
import dev.marketdata.sources.provider.fake.FakeResponse;
import dev.marketdata.sources.provider.fake.RecordedRequest;
import dev.marketdata.sources.provider.polygon.PolygonProtocol;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bin/run-local --source polygon} in a JVM of its own against {@link FakePolygonServer}: the rows, the
 * dead letters, the key kept secret, a bad key, and a kill -9 in the middle of a backfill resumed with
 * {@code --restore latest}.
 */
class PolygonBackfillITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final String RUNNER = LocalRunner.class.getName();
    private static final Path WORK = Path.of("target", "polygon-it");
    private static final Instant OPEN = Instant.parse("2024-03-01T14:30:00Z");
    private static final String DAY_RANGE =
            "/range/1/minute/1709269200000/1709355599999?adjusted=true&sort=asc" + "&limit=50000";

    private FakePolygonServer polygon;

    @BeforeEach
    void start() throws Exception {
        SchemaMigrator.migrate(DB.jdbc());
        DB.execute("TRUNCATE bars");
        polygon = new FakePolygonServer();
    }

    @AfterEach
    void stop() {
        polygon.close();
    }

    private String[] args(Path dir, int parallelism, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "--source",
                "polygon",
                "--polygon-url",
                polygon.baseUrl(),
                "--jdbc-url",
                DB.jdbcUrl(),
                "--dlq-dir",
                dir.resolve("dlq").toString(),
                "--checkpoint-dir",
                dir.resolve("checkpoints").toString(),
                "--checkpoint-interval",
                "300ms",
                "--parallelism",
                String.valueOf(parallelism),
                "--restart-attempts",
                "2",
                "--provider.retry.initial-backoff",
                "10ms",
                "--provider.retry.max-backoff",
                "100ms",
                "--web-port",
                String.valueOf(FreePorts.take()),
                "--metrics-port",
                String.valueOf(FreePorts.take())));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static String aggs(String ticker) {
        return "/v2/aggs/ticker/" + ticker + DAY_RANGE;
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void storesExactlyTheBarsDeadLettersTheRestAndNeverShowsTheKey(int parallelism, @TempDir Path dir)
            throws Exception {
        polygon.addBars("AAPL");
        polygon.http().script(aggs("AAPL"), FakeResponse.ok(fixture("/fixtures/polygon/awkward-values.json")));
        polygon.addMinuteBars("MSFT", OPEN, 5);
        polygon.pageSize(2);
        polygon.http().scriptOnce(aggs("MSFT"), FakeResponse.json(500, "{\"status\":\"ERROR\",\"error\":\"oops\"}"));
        polygon.addBars("BAD");
        String malformed = fixture("/fixtures/polygon/malformed.json");
        // Slow, so the job is still running when the test reads its parameters in the web UI.
        polygon.http().scriptOnce(aggs("BAD"), FakeResponse.ok(malformed).delayedBy(Duration.ofSeconds(4)));

        String[] args =
                args(dir, parallelism, "--tickers", "AAPL,MSFT,NOPE,BAD", "--from", "2024-03-01", "--to", "2024-03-01");
        String webUiConfig;
        String output;
        try (JobProcess run = JobProcess.start(WORK, Map.of("POLYGON_API_KEY", FakePolygonServer.KEY), RUNNER, args)) {
            webUiConfig = jobConfig(webPort(args), run);
            assertThat(run.waitFor(120)).as(run.output()).isZero();
            output = run.output();
        }

        List<Bar> expected = new ArrayList<>(List.of(
                new Bar("AAPL", "1m", OPEN, 170.0, 170.5, 169.9, 170.2, 1029145.0, 170.1234, 5012L, "polygon"),
                new Bar("AAPL", "1m", OPEN.plusSeconds(60), 170.2, 170.3, 170.0, 170.1, 1523.75, null, null, "polygon"),
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
                        "polygon")));
        for (int i = 0; i < 5; i++) {
            expected.add(FakePolygonServer.expectedMinuteBar("MSFT", OPEN.plusSeconds(60L * i), i));
        }
        assertThat(Tables.bars(DB)).containsExactlyElementsOf(expected);

        String notJson = catchThrowableOfType(PayloadException.class, () -> new PolygonProtocol()
                        .readBars(
                                new BarQuery("BAD", "BAD", "1m", OPEN, OPEN.plusSeconds(60), Map.of()),
                                malformed.getBytes(StandardCharsets.UTF_8)))
                .getMessage();
        assertThat(Tables.deadLetters(dir.resolve("dlq")).stream().map(PolygonBackfillITCase::line))
                .containsExactlyInAnyOrder(
                        "bars|parse|MISSING_FIELD|required field t is missing|null|"
                                + "{\"v\":900,\"vw\":170.05,\"o\":170.1,\"c\":170.0,\"h\":170.2,\"l\":169.95,\"n\":12}"
                                + "|text|polygon GET " + aggs("AAPL"),
                        "bars|parse|UNKNOWN_TICKER|polygon has no ticker NOPE (Ticker not found.)|null|"
                                + "{\"status\":\"NOT_FOUND\",\"request_id\":\"x\",\"message\":\"Ticker not found.\"}"
                                + "|text|polygon GET /v3/reference/tickers/NOPE",
                        "bars|parse|MALFORMED_BODY|" + notJson + "|null|" + malformed + "|text|polygon GET "
                                + aggs("BAD"));

        // One lookup per ticker; MSFT's first page failed once (500) and was asked again, then two more pages.
        assertThat(polygon.http().count("/v3/reference/tickers/")).isEqualTo(4);
        assertThat(polygon.http().count("/v2/aggs/ticker/MSFT/")).isEqualTo(1 + 3);
        assertThat(polygon.http().count("/v2/aggs/ticker/NOPE/")).isZero();

        // The key: sent as a Bearer header only, and nowhere else.
        assertThat(polygon.http().requests()).allSatisfy(r -> {
            assertThat(r.header("authorization")).isEqualTo("Bearer " + FakePolygonServer.KEY);
            assertThat(r.target()).doesNotContain(FakePolygonServer.KEY);
        });
        assertThat(output).doesNotContain(FakePolygonServer.KEY);
        assertThat(webUiConfig).contains("\"source\":\"polygon\"").doesNotContain(FakePolygonServer.KEY);
        assertThat(Files.readString(dir.resolve("dlq")
                        .resolve("bars")
                        .resolve(Files.list(dir.resolve("dlq").resolve("bars"))
                                .findFirst()
                                .orElseThrow()
                                .getFileName())))
                .doesNotContain(FakePolygonServer.KEY);
        try (Stream<Path> logs = Files.walk(WORK)) {
            for (Path log : logs.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(log, StandardCharsets.ISO_8859_1))
                        .as(log.toString())
                        .doesNotContain(FakePolygonServer.KEY);
            }
        }
    }

    @Test
    void aBadKeyFailsTheRunAtOnceWithOneLineThatNeverShowsTheKey(@TempDir Path dir) throws Exception {
        polygon.addMinuteBars("AAPL", OPEN, 2);
        String wrongKey = "pk_WRONG_k3y_never_to_be_shown";

        String output;
        try (JobProcess run = JobProcess.start(
                WORK,
                Map.of("POLYGON_API_KEY", wrongKey),
                RUNNER,
                args(dir, 2, "--tickers", "AAPL", "--from", "2024-03-01", "--to", "2024-03-01"))) {
            assertThat(run.waitFor(120)).as(run.output()).isNotZero();
            output = run.output();
        }

        assertThat(output)
                .contains("polygon: AAPL: HTTP 401: Unknown API Key (GET /v3/reference/tickers/AAPL)")
                .doesNotContain(wrongKey);
        // Not retried, not restarted: one request in all.
        assertThat(polygon.http().requests())
                .extracting(RecordedRequest::target)
                .containsExactly("/v3/reference/tickers/AAPL");
        assertThat(DB.count("bars")).isZero();
    }

    @Test
    void killedMidBackfillAndRestoredFetchesOnlyWhatWasNotDone(@TempDir Path dir) throws Exception {
        List<String> tickers = List.of("AAA", "BBB", "CCC");
        List<Bar> expected = new ArrayList<>();
        Instant monday = Instant.parse("2024-03-04T14:30:00Z");
        for (String ticker : tickers) {
            for (int day = 0; day < 5; day++) {
                Instant open = monday.plus(Duration.ofDays(day));
                polygon.addMinuteBars(ticker, open, 3);
                for (int i = 0; i < 3; i++) {
                    Bar bar = FakePolygonServer.expectedMinuteBar(ticker, open.plusSeconds(60L * i), i);
                    expected.add(bar);
                }
            }
        }
        expected.sort(Comparator.comparing(Bar::symbol).thenComparing(Bar::ts));
        // Friday of CCC never answers in the first run: the run sits there with everything else done.
        String stuck = "/v2/aggs/ticker/CCC/range/1/minute/1709874000000/1709960399999?adjusted=true&sort=asc"
                + "&limit=50000";
        polygon.http().script(stuck, FakeResponse.hang());
        String[] common = {"--tickers", String.join(",", tickers), "--from", "2024-03-04", "--to", "2024-03-08"};

        try (JobProcess first = JobProcess.start(
                WORK, Map.of("POLYGON_API_KEY", FakePolygonServer.KEY), RUNNER, args(dir, 2, common))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (DB.count("bars") < expected.size() - 3) {
                assertThat(first.isAlive()).as(first.output()).isTrue();
                assertThat(System.nanoTime()).as("rows not committed in time").isLessThan(deadline);
                Thread.sleep(50);
            }
            Thread.sleep(1500); // several checkpoints, all with every split but the stuck one done
            first.killHard();
        }
        assertThat(DB.count("bars")).isEqualTo(expected.size() - 3);
        assertThat(RetainedCheckpoints.latest(dir.resolve("checkpoints"))).isPresent();
        Set<String> firstRun =
                polygon.http().requests().stream().map(RecordedRequest::target).collect(Collectors.toSet());
        assertThat(firstRun).filteredOn(t -> t.startsWith("/v2/aggs/")).hasSize(15);

        polygon.http().clearScripts();
        polygon.http().clearRequests();
        try (JobProcess second = JobProcess.start(
                WORK,
                Map.of("POLYGON_API_KEY", FakePolygonServer.KEY),
                RUNNER,
                args(dir, 2, concat(common, "--restore", "latest")))) {
            assertThat(second.waitFor(120)).as(second.output()).isZero();
            assertThat(second.output()).contains("[run-local] Resuming from ");
        }

        assertThat(Tables.bars(DB)).containsExactlyElementsOf(expected);
        // No lookup again, no split that was done fetched again: only the one that never answered.
        assertThat(polygon.http().requests())
                .extracting(RecordedRequest::target)
                .containsExactly(stuck);
        assertThat(DB.preparedTransactions()).isEmpty();
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    private static String line(JsonNode letter) {
        return String.join(
                "|",
                letter.get("dataset").asText(),
                letter.get("stage").asText(),
                letter.get("reason").asText(),
                letter.get("message").asText(),
                letter.hasNonNull("record") ? letter.get("record").toString() : "null",
                letter.path("raw").asText("null"),
                letter.path("rawEncoding").asText("null"),
                letter.path("origin").asText("null"));
    }

    private static int webPort(String[] args) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--web-port")) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        throw new IllegalArgumentException("no --web-port");
    }

    /** The running job's configuration as the web UI's REST API shows it. */
    private static String jobConfig(int webPort, JobProcess run) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ObjectMapper json = new ObjectMapper();
        String web = "http://127.0.0.1:" + webPort;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(run.isAlive()).as(run.output()).isTrue();
            try {
                JsonNode jobs = json.readTree(get(http, web + "/jobs/overview")).path("jobs");
                if (jobs.size() == 1
                        && "RUNNING".equals(jobs.get(0).path("state").asText())) {
                    return get(http, web + "/jobs/" + jobs.get(0).path("jid").asText() + "/config");
                }
            } catch (IOException notYet) {
                // The web UI is not up yet.
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the job did not run in time:\n" + run.output());
    }

    private static String get(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
