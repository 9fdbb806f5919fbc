package dev.marketdata.sources.provider.polygon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.sources.model.NewsArticle;
import dev.marketdata.sources.provider.BarsProtocol;
import dev.marketdata.sources.provider.HttpRequestSpec;
import dev.marketdata.sources.provider.Page;
import dev.marketdata.sources.provider.PageProtocol;
import dev.marketdata.sources.provider.PageQuery;
import dev.marketdata.sources.provider.PayloadException;
import dev.marketdata.sources.provider.Provider;
import dev.marketdata.sources.provider.RejectedItem;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
 * <p>Lookup, errors, authentication and request rate are the bars protocol's ({@link #transport()}).
 */
public final class PolygonNewsProtocol implements PageProtocol<NewsArticle> {

    private static final long serialVersionUID = 1L;

    /** {@code limit}'s maximum for news. */
    public static final int MAX_LIMIT = 1000;

    private final PolygonProtocol transport = new PolygonProtocol();

    @Override
    public BarsProtocol transport() {
        return transport;
    }

    @Override
    public String dataset() {
        return "news";
    }

    @Override
    public int maxRecordsPerPage() {
        return MAX_LIMIT;
    }

    @Override
    public HttpRequestSpec pageRequest(PageQuery query, Optional<String> cursor) {
        if (cursor.isPresent()) {
            return HttpRequestSpec.get(PolygonProtocol.pathAndQuery(cursor.get()));
        }
        return HttpRequestSpec.get("/v2/reference/news?ticker=" + encode(query.ticker())
                + "&published_utc.gte=" + encode(query.from().toString())
                + "&published_utc.lt=" + encode(query.to().toString())
                + "&order=asc&sort=published_utc&limit=" + MAX_LIMIT);
    }

    @Override
    public Page<NewsArticle> readPage(PageQuery query, byte[] body) {
        JsonNode root = PolygonProtocol.parse(body);
        if (!root.isObject()) {
            throw new PayloadException("the body is a JSON " + root.getNodeType() + ", not an object");
        }
        JsonNode results = root.get("results");
        List<NewsArticle> articles = new ArrayList<>();
        List<RejectedItem> rejects = new ArrayList<>();
        if (results != null && !results.isNull()) {
            if (!results.isArray()) {
                throw new PayloadException("results is a JSON " + results.getNodeType() + ", not an array");
            }
            List<String> raws = null;
            for (int i = 0; i < results.size(); i++) {
                JsonNode item = results.get(i);
                try {
                    articles.add(article(query, item));
                } catch (ItemException e) {
                    if (raws == null) {
                        raws = PolygonProtocol.rawItems(body);
                    }
                    String raw = raws.size() == results.size() ? raws.get(i) : item.toString();
                    rejects.add(new RejectedItem(raw, e.reason, e.getMessage()));
                }
            }
        }
        JsonNode next = root.get("next_url");
        Optional<String> cursor = next == null || next.isNull() || next.asText().isEmpty()
                ? Optional.empty() : Optional.of(next.asText());
        return new Page<>(articles, rejects, cursor);
    }

    @Override
    public Instant timeOf(NewsArticle article) {
        return article.publishedAt();
    }

    private static NewsArticle article(PageQuery query, JsonNode item) {
        if (!item.isObject()) {
            throw new ItemException(RejectedItem.WRONG_TYPE, "a result is a JSON " + item.getNodeType());
        }
        String id = text(item, "id", true);
        String published = text(item, "published_utc", true);
        Instant publishedAt;
        try {
            publishedAt = OffsetDateTime.parse(published).toInstant();
        } catch (DateTimeParseException e) {
            throw new ItemException(RejectedItem.WRONG_TYPE, "published_utc is not an RFC 3339 time: " + published);
        }
        String title = text(item, "title", true);
        String url = text(item, "article_url", true);
        JsonNode tickers = item.get("tickers");
        if (tickers == null || tickers.isNull()) {
            throw new ItemException(RejectedItem.MISSING_FIELD, "required field tickers is missing");
        }
        if (!tickers.isArray() || tickers.isEmpty()) {
            throw new ItemException(RejectedItem.WRONG_TYPE, "tickers is not a non-empty array: " + tickers);
        }
        List<String> symbols = new ArrayList<>();
        for (JsonNode t : tickers) {
            if (!t.isTextual()) {
                throw new ItemException(RejectedItem.WRONG_TYPE, "tickers holds a non-string: " + t);
            }
            symbols.add(t.asText());
        }
        JsonNode publisher = item.get("publisher");
        String source = null;
        if (publisher != null && !publisher.isNull()) {
            if (!publisher.isObject()) {
                throw new ItemException(RejectedItem.WRONG_TYPE, "publisher is not an object: " + publisher);
            }
            source = text(publisher, "name", false);
        }
        return new NewsArticle(id, publishedAt, title, text(item, "description", false), text(item, "author", false),
                url, List.copyOf(symbols), source, sentiment(symbols.get(0), item.get("insights")),
                Provider.POLYGON.id());
    }

    private static Double sentiment(String ticker, JsonNode insights) {
        if (insights == null || insights.isNull()) {
            return null;
        }
        if (!insights.isArray()) {
            throw new ItemException(RejectedItem.WRONG_TYPE, "insights is not an array: " + insights);
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
                    default -> throw new ItemException(RejectedItem.WRONG_TYPE,
                            "sentiment of " + ticker + " is not positive, neutral or negative: " + sentiment);
                };
            }
        }
        return null;
    }

    private static String text(JsonNode item, String field, boolean required) {
        JsonNode value = item.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new ItemException(RejectedItem.MISSING_FIELD, "required field " + field + " is missing");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new ItemException(RejectedItem.WRONG_TYPE, field + " is not a string: " + value);
        }
        return value.asText();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** One result that is not an article. */
    private static final class ItemException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        ItemException(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
