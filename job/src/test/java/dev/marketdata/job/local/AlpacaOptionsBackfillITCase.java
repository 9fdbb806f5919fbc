package dev.marketdata.job.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.testing.JobProcess;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.model.OptionQuote;
import dev.marketdata.sources.provider.fake.FakeAlpacaServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/run-local --source alpaca --datasets options} in a JVM of its own against {@link FakeAlpacaServer} and
 * its fixture file: exactly the quotes of the OPRA chain (the fake's indicative chain, served to a request without a
 * feed, is another) over three pages ({@code page_token}), the rest dead-lettered.
 */
class AlpacaOptionsBackfillITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final Path WORK = Path.of("target", "alpaca-options-it");

    @Test
    void storesExactlyTheQuotesOfTheOpraChainAndDeadLettersTheRest(@TempDir Path dir) throws Exception {
        SchemaMigrator.migrate(DB.jdbc());
        try (FakeAlpacaServer alpaca = new FakeAlpacaServer()) {
            alpaca.pageSize(2);
            alpaca.addOptionsChain("opra", "AAPL", "/provider/alpaca/options-chain-aapl.json");
            alpaca.addOptionsChain("indicative", "AAPL", "/provider/alpaca/options-chain-aapl-indicative.json");
            String[] args = {
                "--source",
                "alpaca",
                "--datasets",
                "options",
                "--alpaca-url",
                alpaca.data().baseUrl(),
                "--alpaca-trading-url",
                alpaca.trading().baseUrl(),
                "--tickers",
                "AAPL",
                "--from",
                "2024-02-01",
                "--to",
                "2024-03-01",
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
                assertThat(run.waitFor(120)).as(run.output()).isZero();
                assertThat(run.output()).doesNotContain(FakeAlpacaServer.SECRET);
            }
            assertThat(alpaca.data().count("/v1beta1/options/snapshots/AAPL?feed=opra"))
                    .isEqualTo(3);
        }

        assertThat(Tables.optionQuotes(DB))
                .containsExactly(
                        new OptionQuote(
                                "AAPL240315C00180000",
                                "AAPL",
                                LocalDate.of(2024, 3, 15),
                                180,
                                "call",
                                2.5,
                                2.55,
                                2.52,
                                10L,
                                12L,
                                null,
                                null,
                                0.2411,
                                0.4512,
                                0.041,
                                -0.1207,
                                0.1533,
                                0.0211,
                                Instant.parse("2024-03-01T20:59:59.731674Z"),
                                "alpaca"),
                        new OptionQuote(
                                "AAPL240315P00150000",
                                "AAPL",
                                LocalDate.of(2024, 3, 15),
                                150,
                                "put",
                                0,
                                0.05,
                                null,
                                0L,
                                250L,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                Instant.parse("2024-03-01T15:00:00Z"),
                                "alpaca"));
        String page2 = "alpaca GET /v1beta1/options/snapshots/AAPL?feed=opra&page_token="
                + Base64.getEncoder()
                        .encodeToString("AAPL|2".getBytes(StandardCharsets.UTF_8))
                        .replace("=", "%3D");
        String page3 = "alpaca GET /v1beta1/options/snapshots/AAPL?feed=opra&page_token="
                + Base64.getEncoder()
                        .encodeToString("AAPL|4".getBytes(StandardCharsets.UTF_8))
                        .replace("=", "%3D");
        List<JsonNode> letters = Tables.deadLetters(dir.resolve("dlq"));
        assertThat(letters.stream()
                        .map(l -> String.join(
                                "|",
                                l.get("dataset").asText(),
                                l.get("stage").asText(),
                                l.get("reason").asText(),
                                l.get("message").asText(),
                                l.path("raw").asText("null"),
                                l.path("origin").asText("null"))))
                .containsExactlyInAnyOrder(
                        "options|parse|OUTSIDE_WINDOW|record time 2024-01-31T20:00:00Z is outside the requested "
                                + "window [2024-02-01T05:00:00Z, 2024-03-02T05:00:00Z)|null|" + page2,
                        "options|parse|MISSING_FIELD|required field latestQuote is missing|{\"AAPL240315C00190000\":"
                                + "{\"latestTrade\":{\"c\":\"I\",\"p\":0.4,\"s\":1,\"t\":\"2024-03-01T16:00:00Z\","
                                + "\"x\":\"W\"}}}|" + page2,
                        "options|parse|WRONG_TYPE|the snapshot's key AAPL240315X00195000 is not an OCC contract "
                                + "symbol (root, YYMMDD, C or P, strike x 1000 in 8 digits)|{\"AAPL240315X00195000\":"
                                + "{\"latestQuote\":{\"ap\":0.3,\"as\":1,\"ax\":\"X\",\"bp\":0.2,\"bs\":1,\"bx\":\"X\","
                                + "\"c\":\" \",\"t\":\"2024-03-01T16:00:00Z\"}}}|" + page3,
                        "options|validate|INVALID_GREEK|delta of a call must be in [0, 1], got 1.7|null|null");
    }
}
