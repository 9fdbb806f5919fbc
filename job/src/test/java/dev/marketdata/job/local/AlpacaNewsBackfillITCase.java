package dev.marketdata.job.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.testing.JobProcess;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.model.NewsArticle;
import dev.marketdata.sources.provider.fake.FakeAlpacaServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/run-local --source alpaca --datasets news} in a JVM of its own against {@link FakeAlpacaServer}:
 * exactly the articles in PostgreSQL over several pages ({@code page_token}), the rest dead-lettered.
 */
class AlpacaNewsBackfillITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final Path WORK = Path.of("target", "alpaca-news-it");

    private static String item(long id, String created, String... symbols) {
        return "{\"id\":" + id + ",\"headline\":\"H" + id + "\",\"author\":\"\",\"created_at\":\"" + created
                + "\",\"updated_at\":\"" + created + "\",\"summary\":\"S" + id + "\",\"url\":\"https://b.example/"
                + id + "\",\"images\":[],\"symbols\":[\"" + String.join("\",\"", symbols) + "\"],"
                + "\"source\":\"benzinga\"}";
    }

    private static NewsArticle expected(long id, String created, String... symbols) {
        return new NewsArticle(
                String.valueOf(id),
                Instant.parse(created),
                "H" + id,
                "S" + id,
                "",
                "https://b.example/" + id,
                List.of(symbols),
                "benzinga",
                null,
                "alpaca");
    }

    @Test
    void storesExactlyTheArticlesAndDeadLettersTheRest(@TempDir Path dir) throws Exception {
        SchemaMigrator.migrate(DB.jdbc());
        String noHeadline = "{\"id\":9,\"created_at\":\"2021-12-31T13:00:00Z\",\"url\":\"https://b.example/9\","
                + "\"symbols\":[\"MSFT\"]}";
        try (FakeAlpacaServer alpaca = new FakeAlpacaServer()) {
            alpaca.pageSize(2);
            alpaca.addNews(
                    item(1, "2021-12-30T11:08:42Z", "AAPL"),
                    item(2, "2021-12-31T12:00:00Z", "AAPL", "MSFT"),
                    item(3, "2021-12-31T23:59:59Z", "AAPL"),
                    item(4, "2022-01-01T05:00:00Z", "AAPL"),
                    noHeadline);
            String[] args = {
                "--source",
                "alpaca",
                "--datasets",
                "news",
                "--alpaca-url",
                alpaca.data().baseUrl(),
                "--alpaca-trading-url",
                alpaca.trading().baseUrl(),
                "--tickers",
                "AAPL,MSFT",
                "--from",
                "2021-12-30",
                "--to",
                "2021-12-31",
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
            // AAPL: three items at two a page; MSFT: one page.
            assertThat(alpaca.data().count("/v1beta1/news")).isEqualTo(3);
        }

        assertThat(Tables.news(DB))
                .containsExactly(
                        expected(1, "2021-12-30T11:08:42Z", "AAPL"),
                        expected(2, "2021-12-31T12:00:00Z", "AAPL", "MSFT"),
                        expected(3, "2021-12-31T23:59:59Z", "AAPL"));
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
                .containsExactly("news|parse|MISSING_FIELD|required field headline is missing|" + noHeadline
                        + "|alpaca GET /v1beta1/news?symbols=MSFT&start=2021-12-30T05%3A00%3A00Z"
                        + "&end=2022-01-01T04%3A59%3A59.999999999Z&sort=ASC&limit=50");
    }
}
