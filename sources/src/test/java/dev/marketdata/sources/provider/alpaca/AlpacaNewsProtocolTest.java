package dev.marketdata.sources.provider.alpaca;

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

class AlpacaNewsProtocolTest {

    private final AlpacaNewsProtocol news = new AlpacaNewsProtocol(AlpacaBarsProtocol.defaults());
    private final PageQuery query = new PageQuery(
            "AAPL", "AAPL", Instant.parse("2021-12-31T05:00:00Z"), Instant.parse("2022-01-01T05:00:00Z"), Map.of());

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void asksOldestFirstWithAnInclusiveEndAndFollowsThePageToken() {
        assertThat(news.pageRequest(query, Optional.empty()).pathAndQuery())
                .isEqualTo(
                        "/v1beta1/news?symbols=AAPL&start=2021-12-31T05%3A00%3A00Z&end=2022-01-01T04%3A59%3A59.999999999Z"
                                + "&sort=ASC&limit=50");
        assertThat(news.pageRequest(query, Optional.of("MTY0MDk0ODkyMzAwMDAwMDAwMHwyNDg0MzE3MQ=="))
                        .pathAndQuery())
                .endsWith("&limit=50&page_token=MTY0MDk0ODkyMzAwMDAwMDAwMHwyNDg0MzE3MQ%3D%3D");
        assertThat(news.transport().provider().id()).isEqualTo("alpaca");
    }

    @Test
    void readsTheDocumentedExampleExactlyAndDeadLettersTheRest() {
        Page<NewsArticle> page = news.readPage(query, bytes("""
                {"news":[{"id":24843171,"headline":"Apple Leader in Phone Sales in China","author":"Charles Gross",
                  "created_at":"2021-12-31T11:08:42Z","updated_at":"2021-12-31T11:08:43Z","summary":"",
                  "url":"https://www.benzinga.com/news/21/12/24843171/x","images":[],"symbols":["AAPL"],
                  "source":"benzinga"},
                 {"id":"24843172","headline":"h","created_at":"2021-12-31T12:00:00Z","url":"https://b.example/2",
                  "symbols":["AAPL"]},
                 {"id":24843173,"headline":"h","created_at":"2021-12-31T12:00:00Z","url":"https://b.example/3",
                  "symbols":[]},
                 {"id":24843174,"headline":"h","url":"https://b.example/4","symbols":["AAPL"]},
                 {"id":2.4843175e7, "headline":"h","created_at":"2021-12-31T12:00:00Z","url":"u","symbols":["AAPL"]}],
                 "next_page_token":"MTY0MDk0ODkyMzAwMDAwMDAwMHwyNDg0MzE3MQ=="}
                """));
        assertThat(page.records())
                .containsExactly(new NewsArticle(
                        "24843171",
                        Instant.parse("2021-12-31T11:08:42Z"),
                        "Apple Leader in Phone Sales in China",
                        "",
                        "Charles Gross",
                        "https://www.benzinga.com/news/21/12/24843171/x",
                        List.of("AAPL"),
                        "benzinga",
                        null,
                        "alpaca"));
        assertThat(page.rejects())
                .containsExactly(
                        new RejectedItem(
                                "{\"id\":\"24843172\",\"headline\":\"h\",\"created_at\":\"2021-12-31T12:00:00Z\","
                                        + "\"url\":\"https://b.example/2\",\n  \"symbols\":[\"AAPL\"]}",
                                RejectedItem.WRONG_TYPE,
                                "id is not an integer: \"24843172\""),
                        new RejectedItem(
                                "{\"id\":24843173,\"headline\":\"h\",\"created_at\":\"2021-12-31T12:00:00Z\","
                                        + "\"url\":\"https://b.example/3\",\n  \"symbols\":[]}",
                                RejectedItem.WRONG_TYPE,
                                "symbols is not a non-empty array: []"),
                        new RejectedItem(
                                "{\"id\":24843174,\"headline\":\"h\",\"url\":\"https://b.example/4\","
                                        + "\"symbols\":[\"AAPL\"]}",
                                RejectedItem.MISSING_FIELD,
                                "required field created_at is missing"),
                        new RejectedItem(
                                "{\"id\":2.4843175e7, \"headline\":\"h\",\"created_at\":\"2021-12-31T12:00:00Z\","
                                        + "\"url\":\"u\",\"symbols\":[\"AAPL\"]}",
                                RejectedItem.WRONG_TYPE,
                                "id is not an integer: 2.4843175E7"));
        assertThat(page.nextCursor()).contains("MTY0MDk0ODkyMzAwMDAwMDAwMHwyNDg0MzE3MQ==");
    }

    @Test
    void anEmptyAnswerIsAnEmptyPageAndABrokenOneIsRefused() {
        assertThat(news.readPage(query, bytes("{\"news\":[],\"next_page_token\":null}"))
                        .isEmpty())
                .isTrue();
        assertThatThrownBy(() -> news.readPage(query, bytes("[]")))
                .isInstanceOf(PayloadException.class)
                .hasMessage("the body is a JSON ARRAY, not an object");
        assertThatThrownBy(() -> news.readPage(query, bytes("{\"news\":{}}")))
                .isInstanceOf(PayloadException.class)
                .hasMessage("news is a JSON OBJECT, not an array");
    }
}
