package dev.marketdata.job.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.testing.JobProcess;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.fake.FakeAlpacaServer;
import dev.marketdata.sources.provider.fake.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/run-local --source alpaca} in a JVM of its own against {@link FakeAlpacaServer}: the rows in
 * PostgreSQL, the dead letter of an unknown ticker, the feed always sent, the lookup on the trading host, and the
 * secret kept out of every output.
 */
class AlpacaBackfillITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final Path WORK = Path.of("target", "alpaca-it");
    private static final Instant OPEN = Instant.parse("2024-03-04T14:30:00Z");

    @Test
    void storesTheIexBarsOfThreePagesAndDeadLettersAnUnknownTicker(@TempDir Path dir) throws Exception {
        SchemaMigrator.migrate(DB.jdbc());
        try (FakeAlpacaServer alpaca = new FakeAlpacaServer()) {
            alpaca.pageSize(40);
            alpaca.addMinuteBars("iex", "AAPL", OPEN, 90);
            alpaca.addMinuteBars("sip", "AAPL", OPEN, 90);
            alpaca.addMinuteBars("iex", "BRK.B", OPEN, 5);

            String[] args = {
                "--source",
                "alpaca",
                "--alpaca-url",
                alpaca.data().baseUrl(),
                "--alpaca-trading-url",
                alpaca.trading().baseUrl(),
                "--tickers",
                "AAPL,BRK.B,NOPE",
                "--from",
                "2024-03-04T14:30:00Z",
                "--to",
                "2024-03-04T16:00:00Z",
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
                "--web-port",
                String.valueOf(FreePorts.take()),
                "--metrics-port",
                String.valueOf(FreePorts.take())
            };
            String output;
            try (JobProcess run = JobProcess.start(
                    WORK,
                    Map.of("APCA_API_KEY_ID", FakeAlpacaServer.KEY_ID, "APCA_API_SECRET_KEY", FakeAlpacaServer.SECRET),
                    LocalRunner.class.getName(),
                    args)) {
                assertThat(run.waitFor(120)).as(run.output()).isZero();
                output = run.output();
            }

            List<Bar> expected = new ArrayList<>(FakeAlpacaServer.expectedMinuteBars("iex", "AAPL", OPEN, 90));
            expected.addAll(FakeAlpacaServer.expectedMinuteBars("iex", "BRK.B", OPEN, 5));
            assertThat(Tables.bars(DB)).containsExactlyElementsOf(expected);

            assertThat(Tables.deadLetters(dir.resolve("dlq"))).singleElement().satisfies(letter -> {
                assertThat(line(letter))
                        .isEqualTo("bars|parse|UNKNOWN_TICKER|alpaca has no asset NOPE "
                                + "(asset not found for NOPE)|{\"code\":40410000,\"message\":\"asset not found for NOPE\"}"
                                + "|alpaca GET /v2/assets/NOPE");
            });

            assertThat(alpaca.trading().requests())
                    .extracting(RecordedRequest::target)
                    .containsExactlyInAnyOrder("/v2/assets/AAPL", "/v2/assets/BRK.B", "/v2/assets/NOPE");
            // AAPL: 90 bars in pages of 40; BRK.B: one page. Always the feed, never the key in the URL.
            assertThat(alpaca.data().requests()).hasSize(4).allSatisfy(r -> {
                assertThat(r.target()).contains("&feed=iex").doesNotContain(FakeAlpacaServer.SECRET);
                assertThat(r.header("APCA-API-SECRET-KEY")).isEqualTo(FakeAlpacaServer.SECRET);
            });
            assertThat(output).doesNotContain(FakeAlpacaServer.SECRET);
            try (Stream<Path> files = Files.walk(WORK)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.readString(file, StandardCharsets.ISO_8859_1))
                            .as(file.toString())
                            .doesNotContain(FakeAlpacaServer.SECRET);
                }
            }
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
