package dev.marketdata.sources.provider.polygon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.sources.model.NewsArticle;
import dev.marketdata.sources.provider.Credentials;
import dev.marketdata.sources.provider.ProviderItem;
import dev.marketdata.sources.provider.ProviderSettings;
import dev.marketdata.sources.provider.ProviderSource;
import dev.marketdata.sources.provider.RejectedItem;
import dev.marketdata.sources.provider.fake.BackfillRun;
import dev.marketdata.sources.provider.fake.FakePolygonServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Polygon news through the generic page source against {@link FakePolygonServer}: pages, windows, rejects. */
class PolygonNewsSourceITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final Instant FROM = Instant.parse("2024-06-22T04:00:00Z"); // a Saturday: news has no weekend
    static final Instant TO = Instant.parse("2024-06-25T04:00:00Z");

    static String article(String id, String published, String ticker) {
        return "{\"id\":\"" + id + "\",\"publisher\":{\"name\":\"Wire\"},\"title\":\"T " + id + "\",\"author\":\"A\","
                + "\"published_utc\":\"" + published + "\",\"article_url\":\"https://x.example/" + id + "\","
                + "\"tickers\":[\"" + ticker + "\"]}";
    }

    static NewsArticle expected(String id, String published, String ticker) {
        return new NewsArticle(
                id,
                Instant.parse(published),
                "T " + id,
                null,
                "A",
                "https://x.example/" + id,
                List.of(ticker),
                "Wire",
                null,
                "polygon");
    }

    @Test
    void readsEveryPageOfEveryTickerAndDeadLettersTheRest() throws Exception {
        try (FakePolygonServer polygon = new FakePolygonServer()) {
            polygon.pageSize(2);
            polygon.addNews(
                    article("u1", "2024-06-22T10:00:00Z", "UBS"),
                    article("u2", "2024-06-24T18:33:53Z", "UBS"),
                    article("u3", "2024-06-24T20:00:00Z", "UBS"),
                    article("late", "2024-06-25T04:00:00Z", "UBS"),
                    article("j1", "2024-06-23T12:00:00Z", "JPM"),
                    "{\"id\":\"broken\",\"published_utc\":\"2024-06-23T13:00:00Z\",\"tickers\":[\"JPM\"]}");
            ProviderSettings settings = BackfillRun.settings(
                    polygon.baseUrl(),
                    Credentials.key(FakePolygonServer.KEY),
                    List.of("UBS", "JPM", "NOPE"),
                    "1d",
                    FROM,
                    TO,
                    Map.of());

            Configuration conf = new Configuration();
            conf.set(PipelineOptions.GENERIC_TYPES, false);
            conf.setString("restart-strategy.type", "none");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(2);
            ProviderSource<NewsArticle> source = new ProviderSource<>(
                    new PolygonNewsProtocol(), settings, new TypeHint<ProviderItem<NewsArticle>>() {}.getTypeInfo());
            assertThat(source.getProducedType()).isInstanceOf(PojoTypeInfo.class);
            List<ProviderItem<NewsArticle>> out = new ArrayList<>();
            try (CloseableIterator<ProviderItem<NewsArticle>> it = env.fromSource(
                            source, WatermarkStrategy.noWatermarks(), "news")
                    .executeAndCollect()) {
                it.forEachRemaining(out::add);
            }

            assertThat(out.stream().filter(ProviderItem::isRecord).map(ProviderItem::record))
                    .containsExactlyInAnyOrder(
                            expected("u1", "2024-06-22T10:00:00Z", "UBS"),
                                    expected("u2", "2024-06-24T18:33:53Z", "UBS"),
                            expected("u3", "2024-06-24T20:00:00Z", "UBS"),
                                    expected("j1", "2024-06-23T12:00:00Z", "JPM"));
            assertThat(out.stream()
                            .filter(i -> !i.isRecord())
                            .map(i -> i.ticker() + " " + i.reason() + " " + i.message() + " " + i.origin()))
                    .containsExactlyInAnyOrder(
                            "JPM MISSING_FIELD required field title is missing polygon GET /v2/reference/news?ticker=JPM"
                                    + "&published_utc.gte=2024-06-22T04%3A00%3A00Z&published_utc.lt=2024-06-25T04%3A00"
                                    + "%3A00Z&order=asc&sort=published_utc&limit=1000",
                            "NOPE UNKNOWN_TICKER polygon has no ticker NOPE (Ticker not found.) polygon GET "
                                    + "/v3/reference/tickers/NOPE");
            assertThat(out.stream()
                            .filter(i -> RejectedItem.MISSING_FIELD.equals(i.reason()))
                            .map(ProviderItem::raw))
                    .containsExactly(
                            "{\"id\":\"broken\",\"published_utc\":\"2024-06-23T13:00:00Z\",\"tickers\":[\"JPM\"]}");
            // UBS: three articles at two a page, then the page after; JPM one page; one lookup each.
            assertThat(polygon.http().count("/v2/reference/news")).isEqualTo(3);
            assertThat(polygon.http().requests().stream().map(r -> r.header("authorization")))
                    .containsOnly("Bearer " + FakePolygonServer.KEY);
        }
    }
}
