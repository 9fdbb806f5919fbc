package dev.marketdata.job.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.testing.JobProcess;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.model.NewsArticle;
import dev.marketdata.sources.provider.fake.FakePolygonServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/run-local --source polygon --datasets news} in a JVM of its own against {@link FakePolygonServer}:
 * exactly the articles in PostgreSQL, the malformed and the invalid ones dead-lettered, over several pages.
 */
class PolygonNewsBackfillITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final Path WORK = Path.of("target", "polygon-news-it");

    private static String article(String id, String published, String url, String... tickers) {
        return "{\"id\":\"" + id + "\",\"publisher\":{\"name\":\"Wire\"},\"title\":\"T " + id + "\","
                + "\"author\":\"A\",\"published_utc\":\"" + published + "\",\"article_url\":\"" + url + "\","
                + "\"description\":\"D " + id + "\",\"tickers\":[\"" + String.join("\",\"", tickers) + "\"],"
                + "\"insights\":[{\"ticker\":\"" + tickers[0] + "\",\"sentiment\":\"negative\"}]}";
    }

    @Test
    void storesExactlyTheArticlesAndDeadLettersTheRest(@TempDir Path dir) throws Exception {
        SchemaMigrator.migrate(DB.jdbc());
        String broken = "{\"id\":\"broken\",\"published_utc\":\"2024-06-23T13:00:00Z\",\"tickers\":[\"JPM\"]}";
        try (FakePolygonServer polygon = new FakePolygonServer()) {
            polygon.pageSize(2);
            polygon.addNews(
                    article("u1", "2024-06-22T10:00:00Z", "https://x.example/u1", "UBS"),
                    article("u2", "2024-06-24T18:33:53Z", "https://x.example/u2", "UBS", "JPM"),
                    article("u3", "2024-06-24T20:00:00Z", "ftp://x.example/u3", "UBS"),
                    article("late", "2024-06-25T04:00:00Z", "https://x.example/late", "UBS"),
                    broken);
            String[] args = {
                "--source",
                "polygon",
                "--datasets",
                "news",
                "--polygon-url",
                polygon.baseUrl(),
                "--tickers",
                "UBS,JPM",
                "--from",
                "2024-06-22",
                "--to",
                "2024-06-24",
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
            // UBS: three articles in the window at two a page; JPM: u2 and the broken one, one page.
            assertThat(polygon.http().count("/v2/reference/news")).isEqualTo(3);
        }

        // u2 is about UBS and JPM: asked for by both, stored once (the table's key is provider and id).
        assertThat(Tables.news(DB))
                .containsExactly(
                        new NewsArticle(
                                "u1",
                                Instant.parse("2024-06-22T10:00:00Z"),
                                "T u1",
                                "D u1",
                                "A",
                                "https://x.example/u1",
                                List.of("UBS"),
                                "Wire",
                                -1.0,
                                "polygon"),
                        new NewsArticle(
                                "u2",
                                Instant.parse("2024-06-24T18:33:53Z"),
                                "T u2",
                                "D u2",
                                "A",
                                "https://x.example/u2",
                                List.of("UBS", "JPM"),
                                "Wire",
                                -1.0,
                                "polygon"));
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
                        "news|parse|MISSING_FIELD|required field title is missing|" + broken
                                + "|polygon GET /v2/reference/news?ticker=JPM&published_utc.gte=2024-06-22T04%3A00%3A00Z"
                                + "&published_utc.lt=2024-06-25T04%3A00%3A00Z&order=asc&sort=published_utc&limit=1000",
                        "news|validate|MALFORMED_URL|url 'ftp://x.example/u3' is not an absolute http or https URL|"
                                + "null|null");
    }
}
