package dev.marketdata.job.local;

import static dev.marketdata.sources.provider.fake.FakeAlpacaServer.expectedMinuteBar;
import static dev.marketdata.sources.provider.fake.FakeAlpacaStream.bar;
import static dev.marketdata.sources.provider.fake.FakeAlpacaStream.expectedUpdated;
import static dev.marketdata.sources.provider.fake.FakeAlpacaStream.updated;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.testing.JobProcess;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.provider.fake.FakeAlpacaServer;
import dev.marketdata.sources.provider.fake.FakeAlpacaStream;
import dev.marketdata.sources.provider.fake.FakeStreamServer;
import dev.marketdata.sources.provider.fake.FakeStreamServer.Connection;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/run-local --source alpaca --live} in a JVM of its own against {@link FakeAlpacaStream} and
 * {@link FakeAlpacaServer}, into PostgreSQL: an updated bar ({@code u}) after its original ({@code b}) in the same
 * frame, so in the same poll of the reader, before the same checkpoint barrier, in the same sink batch,
 * stores the updated values, one row per key; and one after the original's batch was written (a later frame) also
 * wins. Exact rows; no dead letters; the secret in no output.
 */
class AlpacaLiveITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final Path WORK = Path.of("target", "alpaca-live-it");
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final String FEED = "iex";

    /** Half an hour ago on a minute: every window closed long ago. */
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));

    private Instant at(int minute) {
        return t0.plus(Duration.ofMinutes(minute));
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

    @Test
    void anUpdatedBarAfterItsOriginalInTheSameBatchStoresTheUpdatedValuesOncePerKey(@TempDir Path dir)
            throws Exception {
        SchemaMigrator.migrate(DB.jdbc());
        DB.execute("TRUNCATE bars");
        try (FakeAlpacaServer alpaca = new FakeAlpacaServer();
                FakeAlpacaStream stream = new FakeAlpacaStream()) {
            alpaca.addAsset("AAPL");
            alpaca.addAsset("MSFT");
            String[] args = {
                "--source",
                "alpaca",
                "--live",
                "--tickers",
                "AAPL,MSFT",
                "--alpaca-url",
                alpaca.data().baseUrl(),
                "--alpaca-trading-url",
                alpaca.trading().baseUrl(),
                "--alpaca-ws-url",
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
                "0",
                "--web-port",
                String.valueOf(FreePorts.take()),
                "--metrics-port",
                String.valueOf(FreePorts.take())
            };
            try (JobProcess run = JobProcess.start(
                    WORK,
                    Map.of("APCA_API_KEY_ID", FakeAlpacaServer.KEY_ID, "APCA_API_SECRET_KEY", FakeAlpacaServer.SECRET),
                    LocalRunner.class.getName(),
                    args)) {
                Connection connection = stream.awaitSubscribed(0, WAIT);
                // Minute 0 of both, minute 1 of AAPL, then AAPL's minute 0 updated: one frame, one batch.
                connection.send("["
                        + String.join(
                                ",",
                                bar(FEED, "AAPL", at(0), 0),
                                bar(FEED, "MSFT", at(0), 0),
                                bar(FEED, "AAPL", at(1), 1),
                                updated(FEED, "AAPL", at(0), 0, 7))
                        + "]");
                awaitRows(run, 3);
                // MSFT's minute 0 updated after its original was written, and a last bar to wait for.
                connection.send(
                        "[" + String.join(",", updated(FEED, "MSFT", at(0), 0, 11), bar(FEED, "MSFT", at(2), 2)) + "]");
                awaitRows(run, 4);
                // The update came before the awaited bar in the same frame, at parallelism 1: it is written too.
                run.killHard();
                assertThat(run.output()).doesNotContain(FakeAlpacaServer.SECRET);
            }
        }
        assertThat(Tables.bars(DB))
                .containsExactly(
                        expectedUpdated(FEED, "AAPL", at(0), 0, 7),
                        expectedMinuteBar(FEED, "AAPL", at(1), 1),
                        expectedUpdated(FEED, "MSFT", at(0), 0, 11),
                        expectedMinuteBar(FEED, "MSFT", at(2), 2));
        assertThat(Tables.deadLetters(dir.resolve("dlq"))).isEmpty();
    }
}
