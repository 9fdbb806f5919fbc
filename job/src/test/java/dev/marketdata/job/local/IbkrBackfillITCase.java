package dev.marketdata.job.local;

import static dev.marketdata.sources.provider.fake.FakeProviderServer.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.testing.JobProcess;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.fake.FakeIbkrServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/run-local --source ibkr} in a JVM of its own against {@link FakeIbkrServer}: a gateway that counts back
 * from {@code startTime}, answers volume in hundreds and has lost its brokerage session ({@code no bridge}) when the
 * backfill starts; the rows in PostgreSQL and the dead letter of an unknown ticker.
 */
class IbkrBackfillITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final Path WORK = Path.of("target", "ibkr-it");
    /** 08:00 New York on Monday 2024-03-04: 600 minutes run over two of the day's 8-hour splits. */
    private static final Instant FIRST_BAR = Instant.parse("2024-03-04T13:00:00Z");

    @Test
    void storesADayOfMinuteBarsAfterReopeningTheSession(@TempDir Path dir) throws Exception {
        SchemaMigrator.migrate(DB.jdbc());
        try (FakeIbkrServer ibkr = new FakeIbkrServer()) {
            ibkr.addSearch("AAPL", fixture("/provider/ibkr/search-aapl.json"));
            ibkr.addSearch("BRK B", fixture("/provider/ibkr/search-brk-b-int-conid.json"));
            ibkr.countsBack(true);
            ibkr.volumeFactor(100);
            ibkr.addMinuteBars("265598", FIRST_BAR, 600);
            ibkr.addMinuteBars("72063691", FIRST_BAR, 30);
            ibkr.dropBridge();

            String[] args = {
                "--source",
                "ibkr",
                "--ibkr-url",
                ibkr.baseUrl(),
                "--tickers",
                "AAPL,BRK.B,ZZZZ",
                "--from",
                "2024-03-04",
                "--to",
                "2024-03-04",
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
                "1",
                "--provider.retry.initial-backoff",
                "10ms",
                "--provider.retry.max-backoff",
                "100ms",
                "--web-port",
                String.valueOf(FreePorts.take()),
                "--metrics-port",
                String.valueOf(FreePorts.take())
            };
            try (JobProcess run = JobProcess.start(WORK, Map.of(), LocalRunner.class.getName(), args)) {
                assertThat(run.waitFor(120)).as(run.output()).isZero();
            }

            List<Bar> expected = new ArrayList<>(FakeIbkrServer.expectedMinuteBars("AAPL", FIRST_BAR, 600));
            expected.addAll(FakeIbkrServer.expectedMinuteBars("BRK.B", FIRST_BAR, 30));
            assertThat(Tables.bars(DB)).containsExactlyElementsOf(expected);
            assertThat(Tables.deadLetters(dir.resolve("dlq"))).singleElement().satisfies(letter -> assertThat(
                            line(letter))
                    .isEqualTo("bars|parse|UNKNOWN_TICKER|ibkr has no stock ZZZZ on "
                            + "AMEX,ARCA,BATS,NASDAQ,NYSE (no matches)|[]|ibkr GET "
                            + "/iserver/secdef/search?symbol=ZZZZ&secType=STK"));
            assertThat(ibkr.http().count("/iserver/auth/ssodh/init")).isBetween(1L, 2L);
        }
    }

    private static String line(JsonNode letter) {
        return String.join(
                "|",
                letter.get("dataset").asText(),
                letter.get("stage").asText(),
                letter.get("reason").asText(),
                letter.get("message").asText(),
                letter.get("raw").asText(),
                letter.get("origin").asText());
    }
}
