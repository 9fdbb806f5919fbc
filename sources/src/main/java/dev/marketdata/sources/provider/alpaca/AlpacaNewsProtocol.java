package dev.marketdata.sources.provider.alpaca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketdata.sources.model.NewsArticle;
import dev.marketdata.sources.provider.BarsProtocol;
import dev.marketdata.sources.provider.HttpRequestSpec;
import dev.marketdata.sources.provider.Page;
import dev.marketdata.sources.provider.PageProtocol;
import dev.marketdata.sources.provider.PageQuery;
import dev.marketdata.sources.provider.PayloadException;
import dev.marketdata.sources.provider.RawItems;
import dev.marketdata.sources.provider.RejectedItem;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Alpaca news (Benzinga), {@code GET /v1beta1/news} on the data API, as providers.md section 2.3 describes it.
 *
 * <ul>
 *   <li>Request: {@code symbols=<ticker>&start=<from>&end=<to - 1 ns>&sort=ASC&limit=50} (RFC 3339 UTC; {@code end}
 *       is inclusive, as for the bars), then the same with {@code page_token=<next_page_token>}.
 *   <li>Each item of {@code news}: {@code id} (an integer, stored as its decimal text), {@code created_at}
 *       (RFC 3339: the publication time), {@code headline}, {@code url} and a non-empty {@code symbols} array of
 *       strings are required (else dead-lettered, {@code MISSING_FIELD} or {@code WRONG_TYPE}); {@code summary},
 *       {@code author} and {@code source} are stored as sent (an empty string stays empty), null when absent.
 *       Alpaca has no sentiment: null. {@code provider} is {@code alpaca}.
 * </ul>
 *
 * <p>Lookup (the trading API's assets), errors, authentication and request rate are the bars protocol's
 * ({@link #transport()}).
 */
public final class AlpacaNewsProtocol implements PageProtocol<NewsArticle> {

    private static final long serialVersionUID = 1L;

    /** {@code limit}'s maximum for news. */
    public static final int MAX_LIMIT = 50;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AlpacaBarsProtocol transport;

    public AlpacaNewsProtocol(AlpacaBarsProtocol transport) {
        this.transport = transport;
    }

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
        StringBuilder target = new StringBuilder("/v1beta1/news?symbols=")
                .append(AlpacaBarsProtocol.encode(query.providerId()))
                .append("&start=").append(AlpacaBarsProtocol.encode(AlpacaTime.format(query.from())))
                .append("&end=").append(AlpacaBarsProtocol.encode(AlpacaTime.format(query.to().minusNanos(1))))
                .append("&sort=ASC&limit=").append(MAX_LIMIT);
        cursor.ifPresent(token -> target.append("&page_token=").append(AlpacaBarsProtocol.encode(token)));
        return HttpRequestSpec.get(target.toString());
    }

    @Override
    public Page<NewsArticle> readPage(PageQuery query, byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new PayloadException("Alpaca news answer is not JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw new PayloadException("Alpaca news answer is not a JSON object");
        }
        JsonNode news = root.get("news");
        List<NewsArticle> articles = new ArrayList<>();
        List<RejectedItem> rejects = new ArrayList<>();
        if (news != null && !news.isNull()) {
            if (!news.isArray()) {
                throw new PayloadException("news is a JSON " + news.getNodeType() + ", not an array");
            }
            List<String> raws = null;
            for (int i = 0; i < news.size(); i++) {
                JsonNode item = news.get(i);
                try {
                    articles.add(article(item));
                } catch (ItemException e) {
                    if (raws == null) {
                        raws = RawItems.of(body, "news");
                    }
                    String raw = raws.size() == news.size() ? raws.get(i) : item.toString();
                    rejects.add(new RejectedItem(raw, e.reason, e.getMessage()));
                }
            }
        }
        JsonNode next = root.get("next_page_token");
        Optional<String> cursor = next == null || next.isNull() || next.asText().isEmpty()
                ? Optional.empty() : Optional.of(next.asText());
        return new Page<>(articles, rejects, cursor);
    }

    @Override
    public Instant timeOf(NewsArticle article) {
        return article.publishedAt();
    }

    private static NewsArticle article(JsonNode item) {
        if (!item.isObject()) {
            throw new ItemException(RejectedItem.WRONG_TYPE, "a news item is a JSON " + item.getNodeType());
        }
        JsonNode id = item.get("id");
        if (id == null || id.isNull()) {
            throw new ItemException(RejectedItem.MISSING_FIELD, "required field id is missing");
        }
        if (!id.isIntegralNumber()) {
            throw new ItemException(RejectedItem.WRONG_TYPE, "id is not an integer: " + id);
        }
        String created = text(item, "created_at", true);
        Instant publishedAt;
        try {
            publishedAt = AlpacaTime.parse(created);
        } catch (DateTimeParseException e) {
            throw new ItemException(RejectedItem.WRONG_TYPE, "created_at is not an RFC 3339 time: " + created);
        }
        String headline = text(item, "headline", true);
        String url = text(item, "url", true);
        JsonNode symbols = item.get("symbols");
        if (symbols == null || symbols.isNull()) {
            throw new ItemException(RejectedItem.MISSING_FIELD, "required field symbols is missing");
        }
        if (!symbols.isArray() || symbols.isEmpty()) {
            throw new ItemException(RejectedItem.WRONG_TYPE, "symbols is not a non-empty array: " + symbols);
        }
        List<String> list = new ArrayList<>();
        for (JsonNode s : symbols) {
            if (!s.isTextual()) {
                throw new ItemException(RejectedItem.WRONG_TYPE, "symbols holds a non-string: " + s);
            }
            list.add(s.asText());
        }
        return new NewsArticle(id.asText(), publishedAt, headline, text(item, "summary", false),
                text(item, "author", false), url, List.copyOf(list), text(item, "source", false), null,
                AlpacaBarsProtocol.PROVIDER.id());
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

    /** One item that is not an article. */
    private static final class ItemException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        ItemException(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
