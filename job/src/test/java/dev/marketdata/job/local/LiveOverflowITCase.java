package dev.marketdata.job.local;

import static dev.marketdata.sources.provider.fake.FakePolygonStream.am;
import static dev.marketdata.sources.provider.fake.FakePolygonStream.expectedLiveBar;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.testing.JobProcess;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.fake.FakePolygonServer;
import dev.marketdata.sources.provider.fake.FakePolygonStream;
import dev.marketdata.sources.provider.fake.FakeResponse;
import dev.marketdata.sources.provider.fake.FakeStreamServer;
import dev.marketdata.sources.provider.fake.FakeStreamServer.Connection;
import dev.marketdata.sources.provider.fake.RecordedRequest;
import dev.marketdata.sources.provider.live.LiveOverflowException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst faster than the job with each {@code --overflow} policy, {@code bin/run-local --source polygon --live} in a
 * JVM of its own into PostgreSQL, with exact rows and exact dead-letter lines.
 *
 * <p>How the counts are made exact: the live buffer holds a connection's records until the gap repair after its
 * subscription has run (docs/live-streams.md), so nothing of that connection reaches the reader while the repair's
 * REST request is unanswered. The test drops the first connection after one bar, answers the reconnect's repair
 * request only when it opens a gate, sends the burst as one frame on the new connection, waits until the job's
 * {@code barsStreamed} metric (scraped from {@code --metrics-port}) counts every bar of it, and then opens the gate.
 * So the whole burst is in the buffer before the reader may take any of it, whatever the machine's speed: with
 * {@code --live-buffer C} and a burst of {@code K > C}, drop-oldest dead-letters exactly the oldest {@code K - C}
 * and stores exactly the newest {@code C}, and fail fails at the {@code C+1}-th bar. No sleeps, no timing asserts.
 */
class LiveOverflowITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final String RUNNER = LocalRunner.class.getName();
    private static final Path WORK = Path.of("target", "live-overflow-it");
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final String TICKER = "AAPL";
    private static final int CAPACITY = 4;
    private static final int BURST = 10;

    private FakePolygonServer polygon;
    private FakePolygonStream stream;
    private final CountDownLatch repairAsked = new CountDownLatch(1);
    private final CountDownLatch gate = new CountDownLatch(1);
    private int metricsPort;
    /** Half an hour ago on a minute: every window of the test closed long ago (none provisional). */
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));

    @BeforeEach
    void start() throws Exception {
        SchemaMigrator.migrate(DB.jdbc());
        DB.execute("TRUNCATE bars");
        polygon = new FakePolygonServer();
        stream = new FakePolygonStream();
        polygon.addBars(TICKER); // known to the ticker lookup, no bars by REST
        // A gap repair's request (the aggregates; nothing to repair before the first connection) waits for the gate.
        Function<RecordedRequest, FakeResponse> serve = polygon.http().fallback();
        polygon.http().fallback(request -> {
            if (request.path().startsWith("/v2/aggs/")) {
                repairAsked.countDown();
                try {
                    gate.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return serve.apply(request);
        });
        metricsPort = FreePorts.take();
    }

    @AfterEach
    void stop() {
        gate.countDown();
        stream.close();
        polygon.close();
    }

    private Instant at(int minute) {
        return t0.plus(Duration.ofMinutes(minute));
    }

    private String[] args(Path dir, String overflow) throws IOException {
        return new String[] {
            "--source",
            "polygon",
            "--live",
            "--tickers",
            TICKER,
            "--polygon-url",
            polygon.baseUrl(),
            "--polygon-ws-url",
            stream.url(),
            "--jdbc-url",
            DB.jdbcUrl(),
            "--dlq-dir",
            dir.resolve("dlq").toString(),
            "--checkpoint-dir",
            dir.resolve("checkpoints").toString(),
            "--checkpoint-interval",
            "300ms",
            "--parallelism",
            "1",
            "--restart-attempts",
            "2",
            "--overflow",
            overflow,
            "--live-buffer",
            String.valueOf(CAPACITY),
            "--live.reconnect.initial-backoff",
            "10ms",
            "--live.reconnect.max-backoff",
            "100ms",
            "--web-port",
            String.valueOf(FreePorts.take()),
            "--metrics-port",
            String.valueOf(metricsPort)
        };
    }

    private static JobProcess job(String[] args) throws IOException {
        return JobProcess.start(WORK, Map.of("POLYGON_API_KEY", FakePolygonServer.KEY), RUNNER, args);
    }

    /** Minutes {@code from..to} as AM events, in one frame. */
    private String burst(int from, int to) {
        return FakePolygonStream.frame(IntStream.rangeClosed(from, to)
                .mapToObj(i -> am(TICKER, at(i), i, 0))
                .toArray(String[]::new));
    }

    /**
     * Minute 0 on the first connection (stored), a drop, then on the reconnect {@code to} minutes 1..to as one frame
     * while the reconnect's gap repair waits at the gate; opens the gate once the job counted every bar streamed.
     */
    private void burstWhileRepairing(JobProcess run, int to) throws Exception {
        burstWithRepairHeld(run, to);
        FakeStreamServer.waitFor(WAIT, () -> barsStreamed() == 1 + to, (1 + to) + " bars streamed");
        gate.countDown();
    }

    /** As {@link #burstWhileRepairing} but leaves the gate shut: the repair is still waiting when this returns. */
    private void burstWithRepairHeld(JobProcess run, int to) throws Exception {
        Connection first = stream.awaitSubscribed(0, WAIT);
        first.send(burst(0, 0));
        awaitRows(run, 1);
        first.drop();
        Connection second = stream.awaitSubscribed(1, WAIT);
        assertThat(repairAsked.await(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("the reconnect's repair asked REST")
                .isTrue();
        second.send(burst(1, to));
    }

    private long barsStreamed() {
        try {
            HttpResponse<String> page = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return (long) page.body()
                    .lines()
                    .filter(l -> !l.startsWith("#") && l.contains("barsStreamed"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .sum();
        } catch (IOException e) {
            return -1; // not up yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitRows(JobProcess run, long rows) {
        FakeStreamServer.waitFor(
                WAIT,
                () -> {
                    assertThat(run.isAlive()).as(run.output()).isTrue();
                    try {
                        return DB.count("bars") >= rows;
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                },
                rows + " rows in bars");
    }

    private static void awaitDeadLetters(JobProcess run, Path dlq, int letters) {
        FakeStreamServer.waitFor(
                WAIT,
                () -> {
                    assertThat(run.isAlive()).as(run.output()).isTrue();
                    return Tables.deadLetters(dlq).size() >= letters;
                },
                letters + " dead letters");
    }

    private List<Bar> expectedBars(int... minutes) {
        return IntStream.of(minutes)
                .mapToObj(i -> expectedLiveBar(TICKER, at(i), i, 0))
                .toList();
    }

    @Test
    void dropOldestDeadLettersExactlyTheOldestOfTheBurstAndStoresTheNewest(@TempDir Path dir) throws Exception {
        try (JobProcess run = job(args(dir, "drop-oldest"))) {
            burstWhileRepairing(run, BURST);
            awaitRows(run, 1 + CAPACITY);
            awaitDeadLetters(run, dir.resolve("dlq"), BURST - CAPACITY);
            // One more bar after the burst, so that nothing of it is still on its way when the rows are read.
            stream.connections().get(1).send(burst(BURST + 1, BURST + 1));
            awaitRows(run, 2 + CAPACITY);
            run.killHard();
            assertThat(run.output()).doesNotContain(FakePolygonServer.KEY);
        }
        List<Integer> stored = new ArrayList<>(List.of(0));
        IntStream.rangeClosed(BURST - CAPACITY + 1, BURST + 1).forEach(stored::add);
        assertThat(Tables.bars(DB))
                .containsExactlyElementsOf(
                        expectedBars(stored.stream().mapToInt(Integer::intValue).toArray()));
        // The oldest of the burst, each once, as the bar it was: none of them stored.
        List<String> dropped = IntStream.rangeClosed(1, BURST - CAPACITY)
                .mapToObj(i -> "bars|parse|OVERFLOW|"
                        + "dropped by --overflow drop-oldest: the live buffer of " + CAPACITY
                        + " records (--live-buffer) was "
                        + "full|" + json(expectedLiveBar(TICKER, at(i), i, 0)) + "|null|null|polygon ws "
                        + stream.url())
                .toList();
        assertThat(Tables.deadLetters(dir.resolve("dlq")).stream().map(LiveOverflowITCase::line))
                .containsExactlyElementsOf(dropped);
    }

    @Test
    void blockStoresEveryBarOfTheBurstOnce(@TempDir Path dir) throws Exception {
        try (JobProcess run = job(args(dir, "block"))) {
            burstWhileRepairing(run, BURST);
            awaitRows(run, 1 + BURST);
            stream.connections().get(1).send(burst(BURST + 1, BURST + 1));
            awaitRows(run, 2 + BURST);
            run.killHard();
        }
        assertThat(Tables.bars(DB))
                .containsExactlyElementsOf(
                        expectedBars(IntStream.rangeClosed(0, BURST + 1).toArray()));
        assertThat(Tables.deadLetters(dir.resolve("dlq"))).isEmpty();
    }

    @Test
    void failStopsTheJobWithOneLineNamingTheBufferSize(@TempDir Path dir) throws Exception {
        try (JobProcess run = job(args(dir, "fail"))) {
            // The gate stays shut: the overflow reaches the task thread while the stream's connection thread is
            // still inside the held REST repair, so failing does not wait for the repair.
            burstWithRepairHeld(run, CAPACITY + 1);
            // Well inside the gate's own timeout (WAIT): a job that failed only once the repair ended would not exit.
            int exit = run.waitFor(WAIT.toSeconds() * 5 / 8);
            assertThat(exit).as(run.output()).isNotZero();
            // Not restarted although --restart-attempts allows it (a restart would only fill the buffer again): one
            // failure, one line naming the buffer size.
            assertThat(run.output().lines().filter(l -> l.startsWith("[run-local] Job failed: ")))
                    .as(run.output())
                    .containsExactly("[run-local] Job failed: " + LiveOverflowException.class.getName() + ": the live "
                            + "buffer of " + CAPACITY + " records (--live-buffer) is full and --overflow is fail: the "
                            + "stream delivered faster than the job wrote");
        }
        assertThat(Tables.bars(DB)).containsExactlyElementsOf(expectedBars(0));
    }

    /** A bar as the dead-letter queue writes it. */
    private static String json(Bar bar) {
        return "{\"symbol\":\"" + bar.symbol() + "\",\"timeframe\":\"" + bar.timeframe() + "\",\"ts\":\"" + bar.ts()
                + "\",\"open\":" + bar.open() + ",\"high\":" + bar.high() + ",\"low\":" + bar.low() + ",\"close\":"
                + bar.close() + ",\"volume\":" + bar.volume() + ",\"vwap\":" + bar.vwap() + ",\"trades\":"
                + bar.trades() + ",\"provider\":\"" + bar.provider() + "\"}";
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
}
