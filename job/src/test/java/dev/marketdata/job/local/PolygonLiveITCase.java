package dev.marketdata.job.local;

import static dev.marketdata.sources.provider.fake.FakePolygonServer.expectedMinuteBar;
import static dev.marketdata.sources.provider.fake.FakePolygonServer.minuteBar;
import static dev.marketdata.sources.provider.fake.FakePolygonStream.am;
import static dev.marketdata.sources.provider.fake.FakePolygonStream.expectedLiveBar;
import static dev.marketdata.sources.provider.fake.FakePolygonStream.frame;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.testing.JobProcess;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.fake.FakePolygonServer;
import dev.marketdata.sources.provider.fake.FakePolygonStream;
import dev.marketdata.sources.provider.fake.FakeStreamServer;
import dev.marketdata.sources.provider.fake.FakeStreamServer.Connection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/run-local --source polygon --live} in a JVM of its own, parallelism 2, against {@link FakePolygonStream}
 * and {@link FakePolygonServer}, into PostgreSQL: a malformed frame, a dropped connection whose missed bars REST
 * holds, a kill -9 and {@code --restore latest} with bars published while the job was down, each step scripted
 * (which bar arrives live, which by REST, and when) so the stored values are exact; one socket at a time for the
 * whole job; the key in no log.
 */
class PolygonLiveITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final String RUNNER = LocalRunner.class.getName();
    private static final Path WORK = Path.of("target", "polygon-live-it");
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final List<String> TICKERS = List.of("AAPL", "MSFT");

    private FakePolygonServer polygon;
    private FakePolygonStream stream;
    /** Half an hour ago on a minute: every window of the test closed long ago (none provisional). */
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));

    @BeforeEach
    void start() throws Exception {
        SchemaMigrator.migrate(DB.jdbc());
        DB.execute("TRUNCATE bars");
        polygon = new FakePolygonServer();
        stream = new FakePolygonStream();
    }

    @AfterEach
    void stop() {
        stream.close();
        polygon.close();
    }

    private Instant at(int minute) {
        return t0.plus(Duration.ofMinutes(minute));
    }

    /** REST publishes minutes {@code from..to} of every ticker. */
    private void publish(int from, int to) {
        for (String ticker : TICKERS) {
            for (int i = from; i <= to; i++) {
                polygon.addBars(ticker, minuteBar(ticker, at(i), i));
            }
        }
    }

    private String[] args(Path dir, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--source",
                "polygon",
                "--live",
                "--tickers",
                String.join(",", TICKERS),
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
                "2",
                "--restart-attempts",
                "2",
                "--live.reconnect.initial-backoff",
                "10ms",
                "--live.reconnect.max-backoff",
                "100ms",
                "--provider.retry.initial-backoff",
                "10ms",
                "--provider.retry.max-backoff",
                "100ms"));
        args.addAll(List.of(
                "--web-port", String.valueOf(FreePorts.take()), "--metrics-port", String.valueOf(FreePorts.take())));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static void awaitRows(JobProcess run, long rows) throws Exception {
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

    /** Both tickers' minute {@code i} as an AM event each, in one frame. */
    private String live(int i) {
        return frame(am("AAPL", at(i), i, 0), am("MSFT", at(i), i, 0));
    }

    @Test
    void everyBarLandsOnceAcrossAMalformedFrameADropAndAKillWithTheLaterValueWinning(@TempDir Path dir)
            throws Exception {
        publish(0, 3); // REST: minutes 0..3 (2 and 3 are published while the socket is down)

        try (JobProcess first =
                JobProcess.start(WORK, Map.of("POLYGON_API_KEY", FakePolygonServer.KEY), RUNNER, args(dir))) {
            Connection connection = stream.awaitSubscribed(0, WAIT);
            connection.send(live(0));
            connection.send("{oops");
            connection.send(live(1));
            awaitRows(first, 4);
            connection.drop();

            // The repair after the reconnect fetches from minute 1 (the last bar received) to now, before the new
            // connection's first bar (minute 4) is emitted.
            stream.awaitSubscribed(1, WAIT).send(live(4));
            awaitRows(first, 10);
            first.killHard();
        }
        publish(4, 6); // while the job is down: REST's minute 4 (with its trade count), 5 and 6

        try (JobProcess second = JobProcess.start(
                WORK, Map.of("POLYGON_API_KEY", FakePolygonServer.KEY), RUNNER, args(dir, "--restore", "latest"))) {
            stream.awaitSubscribed(2, WAIT).send(live(7));
            awaitRows(second, 16);
            assertThat(second.output()).contains("[run-local] Resuming from ");
            second.killHard();
            assertThat(second.output()).doesNotContain(FakePolygonServer.KEY);
        }

        List<Bar> expected = new ArrayList<>();
        for (String ticker : TICKERS) {
            expected.add(expectedLiveBar(ticker, at(0), 0, 0));
            // Seen live, then by the repair after the drop (with a trade count the AM event lacks): the later wins.
            expected.add(expectedMinuteBar(ticker, at(1), 1));
            expected.add(expectedMinuteBar(ticker, at(2), 2));
            expected.add(expectedMinuteBar(ticker, at(3), 3));
            // Seen live, then by the repair after the restore: the later wins.
            expected.add(expectedMinuteBar(ticker, at(4), 4));
            expected.add(expectedMinuteBar(ticker, at(5), 5));
            expected.add(expectedMinuteBar(ticker, at(6), 6));
            expected.add(expectedLiveBar(ticker, at(7), 7, 0));
        }
        assertThat(Tables.bars(DB)).containsExactlyElementsOf(expected);
        assertThat(Tables.deadLetters(dir.resolve("dlq")).stream().map(PolygonLiveITCase::line))
                .containsExactly(
                        "bars|parse|MALFORMED_BODY|a stream frame that is not a JSON array of events|null|{oops|text|"
                                + "polygon ws " + stream.url());
        // One socket at a time for the whole job at parallelism 2: the first, the reconnect, the restored job's.
        assertThat(stream.connections()).hasSize(3);
        assertThat(stream.connections()).allSatisfy(c -> assertThat(c.received())
                .first()
                .isEqualTo("{\"action\":\"auth\",\"params\":\"" + FakePolygonServer.KEY + "\"}"));
        try (Stream<Path> logs = Files.walk(WORK)) {
            for (Path log : logs.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(log, StandardCharsets.ISO_8859_1))
                        .as(log.toString())
                        .doesNotContain(FakePolygonServer.KEY);
            }
        }
        assertThat(DB.preparedTransactions()).isEmpty();
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
