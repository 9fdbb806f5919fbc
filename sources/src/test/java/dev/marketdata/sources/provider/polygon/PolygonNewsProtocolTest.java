package dev.marketdata.sources.provider.polygon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.sources.model.NewsArticle;
import dev.marketdata.sources.provider.Page;
import dev.marketdata.sources.provider.PageQuery;
import dev.marketdata.sources.provider.PayloadException;
import dev.marketdata.sources.provider.RejectedItem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolygonNewsProtocolTest {

    private final PolygonNewsProtocol news = new PolygonNewsProtocol();
    private final PageQuery query = new PageQuery(
            "UBS", "UBS", Instant.parse("2024-06-24T04:00:00Z"), Instant.parse("2024-06-25T04:00:00Z"), Map.of());

    private static final String EXAMPLE = """
                {"count":1,"next_url":"https://api.polygon.io/v2/reference/news?cursor=YXA9MQ","request_id":"r",
                 "status":"OK","results":[
                 {"id":"8ec638777ca0","publisher":{"name":"Investing.com","homepage_url":"https://www.investing.com/"},
                  "title":"Markets are underestimating Fed cuts: UBS","author":"Sam Boughedda",
                  "published_utc":"2024-06-24T18:33:53Z","article_url":"https://uk.investing.com/news/1",
                  "amp_url":"https://m.uk.investing.com/1","description":"UBS analysts warn",
                  "keywords":["Federal Reserve"],"tickers":["UBS","JPM"],
                  "insights":[{"ticker":"JPM","sentiment":"negative"},{"ticker":"UBS","sentiment":"positive",
                              "sentiment_reasoning":"..."}]},
                 {"id":"a2","title":"Short one","published_utc":"2024-06-24T19:00:00.5+00:00",
                  "article_url":"https://x.example/2","tickers":["UBS"]}]}
                """;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void asksForTheWindowByPublicationTimeOldestFirst() {
        assertThat(news.pageRequest(query, Optional.empty()).pathAndQuery())
                .isEqualTo("/v2/reference/news?ticker=UBS&published_utc.gte=2024-06-24T04%3A00%3A00Z"
                        + "&published_utc.lt=2024-06-25T04%3A00%3A00Z&order=asc&sort=published_utc&limit=1000");
        assertThat(news.pageRequest(query, Optional.of("https://api.polygon.io/v2/reference/news?cursor=YXA9MQ"))
                        .pathAndQuery())
                .isEqualTo("/v2/reference/news?cursor=YXA9MQ");
        assertThatThrownBy(() -> news.pageRequest(
                        query, Optional.of("https://api.polygon.io:443:443/v2/reference/news?cursor=x&apiKey=SECRET")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apiKey=***")
                .hasMessageNotContaining("SECRET");
        assertThat(news.transport().provider().id()).isEqualTo("polygon");
        assertThat(news.dataset()).isEqualTo("news");
    }

    @Test
    void readsTheDocumentedExampleExactly() {
        Page<NewsArticle> page = news.readPage(query, bytes(EXAMPLE));
        // Asked for as JPM's news, the same article is the same record (sentiment: the first ticker's).
        assertThat(news.readPage(new PageQuery("JPM", "JPM", query.from(), query.to(), Map.of()), bytes(EXAMPLE))
                        .records())
                .isEqualTo(page.records());
        assertThat(page.records())
                .containsExactly(
                        new NewsArticle(
                                "8ec638777ca0",
                                Instant.parse("2024-06-24T18:33:53Z"),
                                "Markets are underestimating Fed cuts: UBS",
                                "UBS analysts warn",
                                "Sam Boughedda",
                                "https://uk.investing.com/news/1",
                                List.of("UBS", "JPM"),
                                "Investing.com",
                                1.0,
                                "polygon"),
                        new NewsArticle(
                                "a2",
                                Instant.parse("2024-06-24T19:00:00.5Z"),
                                "Short one",
                                null,
                                null,
                                "https://x.example/2",
                                List.of("UBS"),
                                null,
                                null,
                                "polygon"));
        assertThat(page.rejects()).isEmpty();
        assertThat(page.nextCursor()).contains("https://api.polygon.io/v2/reference/news?cursor=YXA9MQ");
        assertThat(news.timeOf(page.records().get(1))).isEqualTo(Instant.parse("2024-06-24T19:00:00.5Z"));
    }

    @Test
    void deadLettersEachBadArticleWithItsTextAsReceivedAndKeepsTheGoodOnes() {
        Page<NewsArticle> page = news.readPage(query, bytes("""
                {"results":[{"id":"no-title","published_utc":"2024-06-24T18:00:00Z","article_url":"u","tickers":["UBS"]},
                {"id":"bad-time","title":"t","published_utc":"yesterday","article_url":"u","tickers":["UBS"]},
                {"id":"no-tickers","title":"t","published_utc":"2024-06-24T18:00:00Z","article_url":"u","tickers":[]},
                {"id":"odd","title":"t","published_utc":"2024-06-24T18:00:00Z","article_url":"u","tickers":["UBS"],
                 "insights":[{"ticker":"UBS","sentiment":"bullish"}]},
                {"id":"ok","title":"t","published_utc":"2024-06-24T18:00:00Z","article_url":"u","tickers":["UBS"],
                 "insights":[{"ticker":"UBS","sentiment":"neutral"}]},
                 7]}
                """));
        assertThat(page.records())
                .containsExactly(new NewsArticle(
                        "ok",
                        Instant.parse("2024-06-24T18:00:00Z"),
                        "t",
                        null,
                        null,
                        "u",
                        List.of("UBS"),
                        null,
                        0.0,
                        "polygon"));
        assertThat(page.rejects())
                .containsExactly(
                        new RejectedItem(
                                "{\"id\":\"no-title\",\"published_utc\":\"2024-06-24T18:00:00Z\",\"article_url\":\"u\","
                                        + "\"tickers\":[\"UBS\"]}",
                                RejectedItem.MISSING_FIELD,
                                "required field title is missing"),
                        new RejectedItem(
                                "{\"id\":\"bad-time\",\"title\":\"t\",\"published_utc\":\"yesterday\","
                                        + "\"article_url\":\"u\",\"tickers\":[\"UBS\"]}",
                                RejectedItem.WRONG_TYPE,
                                "published_utc is not an RFC 3339 time: yesterday"),
                        new RejectedItem(
                                "{\"id\":\"no-tickers\",\"title\":\"t\",\"published_utc\":\"2024-06-24T18:00:00Z\","
                                        + "\"article_url\":\"u\",\"tickers\":[]}",
                                RejectedItem.WRONG_TYPE,
                                "tickers is not a non-empty array: []"),
                        new RejectedItem(
                                "{\"id\":\"odd\",\"title\":\"t\",\"published_utc\":\"2024-06-24T18:00:00Z\","
                                        + "\"article_url\":\"u\",\"tickers\":[\"UBS\"],\n \"insights\":[{\"ticker\":\"UBS\","
                                        + "\"sentiment\":\"bullish\"}]}",
                                RejectedItem.WRONG_TYPE,
                                "sentiment of UBS is not positive, neutral or negative: \"bullish\""),
                        new RejectedItem("7", RejectedItem.WRONG_TYPE, "a result is a JSON NUMBER"));
        assertThat(page.nextCursor()).isEmpty();
    }

    @Test
    void anAbsentOrNullResultIsAnEmptyPageAndABrokenBodyIsRefused() {
        assertThat(news.readPage(query, bytes("{\"status\":\"OK\",\"count\":0}"))
                        .isEmpty())
                .isTrue();
        assertThat(news.readPage(query, bytes("{\"results\":null}")).isEmpty()).isTrue();
        assertThatThrownBy(() -> news.readPage(query, bytes("<html>")))
                .isInstanceOf(PayloadException.class)
                .hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> news.readPage(query, bytes("{\"results\":{}}")))
                .isInstanceOf(PayloadException.class)
                .hasMessage("results is a JSON OBJECT, not an array");
    }
}
