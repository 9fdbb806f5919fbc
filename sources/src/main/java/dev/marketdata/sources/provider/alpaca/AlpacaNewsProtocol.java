package dev.marketdata.sources.provider.alpaca;

import static dev.marketdata.sources.provider.JsonItems.integer;
import static dev.marketdata.sources.provider.JsonItems.objectItem;
import static dev.marketdata.sources.provider.JsonItems.strings;
import static dev.marketdata.sources.provider.JsonItems.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.sources.model.NewsArticle;
import dev.marketdata.sources.provider.ItemRejection;
import dev.marketdata.sources.provider.JsonItems;
import dev.marketdata.sources.provider.Page;
import dev.marketdata.sources.provider.PageQuery;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

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
 * <p>Lookup (the trading API's assets), errors, authentication, request rate and paging: {@link AlpacaPageProtocol}.
 */
public final class AlpacaNewsProtocol extends AlpacaPageProtocol<NewsArticle> {

    private static final long serialVersionUID = 1L;

    /** {@code limit}'s maximum for news. */
    public static final int MAX_LIMIT = 50;

    public AlpacaNewsProtocol(AlpacaBarsProtocol transport) {
        super(transport);
    }

    @Override
    public String dataset() {
        return "news";
    }

    @Override
    String firstPage(PageQuery query) {
        return "/v1beta1/news?symbols=" + AlpacaBarsProtocol.encode(query.providerId()) + "&start="
                + AlpacaBarsProtocol.encode(AlpacaTime.format(query.from())) + "&end="
                + AlpacaBarsProtocol.encode(AlpacaTime.format(query.to().minusNanos(1))) + "&sort=ASC&limit="
                + MAX_LIMIT;
    }

    @Override
    public Page<NewsArticle> readPage(PageQuery query, byte[] body) {
        return JsonItems.page(body, "news", "next_page_token", AlpacaNewsProtocol::article);
    }

    @Override
    public Instant timeOf(NewsArticle article) {
        return article.publishedAt();
    }

    private static NewsArticle article(JsonNode item) {
        objectItem(item, "a news item");
        Long id = integer(item, "id", true);
        String created = text(item, "created_at", true);
        Instant publishedAt;
        try {
            publishedAt = AlpacaTime.parse(created);
        } catch (DateTimeParseException e) {
            throw ItemRejection.wrongType("created_at is not an RFC 3339 time: " + created);
        }
        String headline = text(item, "headline", true);
        String url = text(item, "url", true);
        List<String> symbols = strings(item, "symbols");
        return new NewsArticle(
                String.valueOf(id),
                publishedAt,
                headline,
                text(item, "summary", false),
                text(item, "author", false),
                url,
                symbols,
                text(item, "source", false),
                null,
                AlpacaBarsProtocol.PROVIDER.id());
    }
}
