package dev.marketdata.job.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.testing.JobProcess;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.model.Fundamentals;
import dev.marketdata.sources.model.OptionQuote;
import dev.marketdata.sources.provider.fake.FakePolygonServer;
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
 * {@code bin/run-local --source polygon --datasets options,fundamentals} in a JVM of its own against
 * {@link FakePolygonServer} and its fixture files: exactly the option quotes (chain snapshot, nanosecond times,
 * three pages) and the fundamentals (financials, a TTM record, a bank without gross profit) in PostgreSQL, the rest
 * dead-lettered with the provider's own text, the request and the reason.
 */
class PolygonOptionsFundamentalsBackfillITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final Path WORK = Path.of("target", "polygon-options-fundamentals-it");
    private static final String CHAIN = "/provider/polygon/options-chain-aapl.json";
    private static final String AAPL = "/provider/polygon/financials-aapl.json";

    /** The fake's cursor: the offset and the first request's query. */
    private static String cursor(int offset, String query) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((offset + "|" + query).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void storesExactlyTheQuotesAndFundamentalsAndDeadLettersTheRest(@TempDir Path dir) throws Exception {
        SchemaMigrator.migrate(DB.jdbc());
        try (FakePolygonServer polygon = new FakePolygonServer()) {
            polygon.pageSize(2);
            polygon.addOptionsChain("AAPL", CHAIN);
            polygon.addFinancials("AAPL", AAPL);
            polygon.addFinancials("JPM", "/provider/polygon/financials-jpm.json");
            String[] args = {
                "--source",
                "polygon",
                "--datasets",
                "options,fundamentals",
                "--polygon-url",
                polygon.baseUrl(),
                "--tickers",
                "AAPL,JPM",
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
                    WORK, Map.of("POLYGON_API_KEY", FakePolygonServer.KEY), LocalRunner.class.getName(), args)) {
                assertThat(run.waitFor(120)).as(run.output()).isZero();
                assertThat(run.output()).doesNotContain(FakePolygonServer.KEY);
            }
            // AAPL's chain: six contracts at two a page; JPM has no options (an empty 200).
            assertThat(polygon.http().count("/v3/snapshot/options/AAPL")).isEqualTo(3);
            assertThat(polygon.http().count("/v3/snapshot/options/JPM")).isEqualTo(1);
            // AAPL: four filings in the window at two a page; JPM: one.
            assertThat(polygon.http().count("/vX/reference/financials")).isEqualTo(3);
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
                                1543L,
                                20311L,
                                0.2411,
                                0.4512,
                                0.041,
                                -0.1207,
                                0.1533,
                                null,
                                Instant.parse("2024-03-01T20:59:59.123456Z"),
                                "polygon"),
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
                                0L,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                Instant.parse("2024-03-01T15:00:00Z"),
                                "polygon"));
        assertThat(Tables.fundamentals(DB))
                .containsExactly(
                        new Fundamentals(
                                "AAPL",
                                2024,
                                "Q1",
                                LocalDate.of(2023, 10, 1),
                                LocalDate.of(2023, 12, 30),
                                LocalDate.of(2024, 2, 2),
                                119575000000.0,
                                54855000000.0,
                                40373000000.0,
                                33916000000.0,
                                2.19,
                                2.18,
                                353514000000.0,
                                279414000000.0,
                                74100000000.0,
                                39895000000.0,
                                "USD",
                                "polygon"),
                        new Fundamentals(
                                "AAPL",
                                2024,
                                "TTM",
                                LocalDate.of(2023, 1, 1),
                                LocalDate.of(2023, 12, 30),
                                LocalDate.of(2024, 2, 2),
                                385706000000.0,
                                null,
                                null,
                                100913000000.0,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                "USD",
                                "polygon"),
                        new Fundamentals(
                                "JPM",
                                2023,
                                "Q4",
                                LocalDate.of(2023, 10, 1),
                                LocalDate.of(2023, 12, 31),
                                LocalDate.of(2024, 2, 2),
                                38574000000.0,
                                null,
                                null,
                                9307000000.0,
                                3.04,
                                null,
                                3875393000000.0,
                                null,
                                null,
                                null,
                                "USD",
                                "polygon"));

        List<String> chain = FakePolygonServer.rawArray(CHAIN);
        List<String> aapl = FakePolygonServer.rawArray(AAPL);
        String page2 = "polygon GET /v3/snapshot/options/AAPL?cursor=" + cursor(2, "limit=250");
        String page3 = "polygon GET /v3/snapshot/options/AAPL?cursor=" + cursor(4, "limit=250");
        String financials2 = "polygon GET /vX/reference/financials?cursor="
                + cursor(
                        2,
                        "filing_date.gte=2024-02-01"
                                + "&filing_date.lte=2024-03-01&limit=100&order=asc&sort=filing_date&ticker=AAPL");
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
                        "options|parse|MISSING_FIELD|required field last_quote is missing|" + chain.get(3) + "|"
                                + page2,
                        "options|parse|WRONG_TYPE|last_updated is not an integer: 1.60519591850725171E18|"
                                + chain.get(4) + "|" + page3,
                        "options|validate|MALFORMED_CONTRACT|contract 'O:AAPL211022C000150000' is not an OCC symbol "
                                + "like AAPL240315C00180000, AAPL  240315C00180000 or O:AAPL240315C00180000 (root of "
                                + "1-6 upper-case letters and digits, a real YYMMDD date, C or P, strike x 1000 in 8 "
                                + "digits)|null|null",
                        "fundamentals|parse|MIXED_UNITS|statement lines in USD and EUR (balance_sheet.assets)|"
                                + aapl.get(2) + "|" + financials2,
                        "fundamentals|validate|GROSS_PROFIT_ABOVE_REVENUE|gross_profit 9.0E10 > revenue 8.9498E10|"
                                + "null|null");
        // The quote outside the window carries the record it would have been.
        assertThat(letters.stream()
                        .filter(l -> l.get("reason").asText().equals("OUTSIDE_WINDOW"))
                        .map(l -> l.get("record").get("contract").asText()))
                .containsExactly("O:AAPL240315C00185000");
    }
}
