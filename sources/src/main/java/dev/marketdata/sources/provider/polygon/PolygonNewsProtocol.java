package dev.marketdata.sources.provider.polygon;

import static dev.marketdata.sources.provider.JsonItems.object;
import static dev.marketdata.sources.provider.JsonItems.objectItem;
import static dev.marketdata.sources.provider.JsonItems.rfc3339;
import static dev.marketdata.sources.provider.JsonItems.strings;
import static dev.marketdata.sources.provider.JsonItems.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.sources.model.NewsArticle;
import dev.marketdata.sources.provider.ItemRejection;
import dev.marketdata.sources.provider.PageQuery;
import dev.marketdata.sources.provider.Provider;
import java.time.Instant;
import java.util.List;

/**
 * Polygon.io (Massive) news, {@code GET /v2/reference/news}, as providers.md section 1.4 describes it.
 *
 * <ul>
 *   <li>Request: {@code ticker=<ticker>&published_utc.gte=<from>&published_utc.lt=<to>&order=asc
 *       &sort=published_utc&limit=1000} (RFC 3339 UTC instants), so a window is {@code [from, to)} like the bars'.
 *   <li>Pagination: {@code next_url}, its path and query sent to the configured base URL, exactly as the bars
 *       (a {@code next_url} whose host does not parse is refused).
 *   <li>Each result: {@code id}, {@code published_utc} (RFC 3339), {@code title}, {@code article_url} and a
 *       non-empty {@code tickers} array of strings are required (else dead-lettered, {@code MISSING_FIELD} or
 *       {@code WRONG_TYPE}); {@code author}, {@code description} and {@code publisher.name} are stored when present,
 *       null when absent (never invented).
 *   <li>Sentiment: the {@code insights} entry of the article's first ticker (its primary one; never the query's,
 *       so that an article about two tickers asked for twice is stored the same both times), {@code positive},
 *       {@code neutral} or {@code negative}, stored as 1, 0 or -1 on the record's -1..1 scale; no entry: null.
 *       Another value is {@code WRONG_TYPE} (the article is dead-lettered rather than stored without what the
 *       provider said).
 *   <li>{@code provider} is {@code polygon}.
 * </ul>
 *
 * <p>Lookup, errors, authentication, request rate and paging: {@link PolygonPageProtocol}.
 */
public final class PolygonNewsProtocol extends PolygonPageProtocol<NewsArticle> {

    private static final long serialVersionUID = 1L;

    /** {@code limit}'s maximum for news. */
    public static final int MAX_LIMIT = 1000;

    @Override
    public String dataset() {
        return "news";
    }

    @Override
    String firstPage(PageQuery query) {
        return "/v2/reference/news?ticker=" + PolygonProtocol.segment(query.ticker())
                + "&published_utc.gte=" + PolygonProtocol.segment(query.from().toString())
                + "&published_utc.lt=" + PolygonProtocol.segment(query.to().toString())
                + "&order=asc&sort=published_utc&limit=" + MAX_LIMIT;
    }

    @Override
    public Instant timeOf(NewsArticle article) {
        return article.publishedAt();
    }

    @Override
    NewsArticle read(PageQuery query, JsonNode item) {
        objectItem(item, "a result");
        String id = text(item, "id", true);
        Instant publishedAt = rfc3339(item, "published_utc");
        String title = text(item, "title", true);
        String url = text(item, "article_url", true);
        List<String> symbols = strings(item, "tickers");
        JsonNode publisher = object(item, "publisher", false);
        String source = publisher == null ? null : text(publisher, "name", false);
        return new NewsArticle(
                id,
                publishedAt,
                title,
                text(item, "description", false),
                text(item, "author", false),
                url,
                symbols,
                source,
                sentiment(symbols.get(0), item.get("insights")),
                Provider.POLYGON.id());
    }

    private static Double sentiment(String ticker, JsonNode insights) {
        if (insights == null || insights.isNull()) {
            return null;
        }
        if (!insights.isArray()) {
            throw ItemRejection.wrongType("insights is not an array: " + insights);
        }
        for (JsonNode insight : insights) {
            JsonNode of = insight.get("ticker");
            if (of != null && ticker.equals(of.asText())) {
                JsonNode sentiment = insight.get("sentiment");
                if (sentiment == null || sentiment.isNull()) {
                    return null;
                }
                return switch (sentiment.asText()) {
                    case "positive" -> 1.0;
                    case "neutral" -> 0.0;
                    case "negative" -> -1.0;
                    default ->
                        throw ItemRejection.wrongType(
                                "sentiment of " + ticker + " is not positive, neutral or negative: " + sentiment);
                };
            }
        }
        return null;
    }
}
