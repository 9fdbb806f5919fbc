package dev.marketdata.job.json;

import static dev.marketdata.job.json.Json.optionalDouble;
import static dev.marketdata.job.json.Json.optionalText;
import static dev.marketdata.job.json.Json.requiredInstant;
import static dev.marketdata.job.json.Json.requiredText;
import static dev.marketdata.job.json.Json.requiredTextList;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.sources.model.NewsArticle;
import java.io.IOException;

/**
 * A news article as JSON: {@code {"id":"bz-38412345","published_at":"2024-03-01T14:31:07Z","headline":"...",
 * "summary":"...","author":"...","url":"https://...","symbols":["AAPL","MSFT"],"source":"Benzinga",
 * "sentiment":0.42,"provider":"benzinga"}}. Required: id, published_at, headline, url, symbols; summary, author,
 * source, sentiment and provider may be absent or null.
 */
public final class NewsArticleJson implements RecordJson<NewsArticle> {

    private static final long serialVersionUID = 1L;

    @Override
    public void write(NewsArticle a, JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", a.id());
        Json.writeInstant(out, "published_at", a.publishedAt());
        out.writeStringField("headline", a.headline());
        out.writeStringField("summary", a.summary());
        out.writeStringField("author", a.author());
        out.writeStringField("url", a.url());
        Json.writeTextList(out, "symbols", a.symbols());
        out.writeStringField("source", a.source());
        Json.writeNumber(out, "sentiment", a.sentiment());
        out.writeStringField("provider", a.provider());
        out.writeEndObject();
    }

    @Override
    public NewsArticle read(JsonNode node) {
        String provider = optionalText(node, "provider");
        return new NewsArticle(
                requiredText(node, "id"),
                requiredInstant(node, "published_at"),
                requiredText(node, "headline"),
                optionalText(node, "summary"),
                optionalText(node, "author"),
                requiredText(node, "url"),
                requiredTextList(node, "symbols"),
                optionalText(node, "source"),
                optionalDouble(node, "sentiment"),
                provider == null ? BarJson.UNKNOWN_PROVIDER : provider);
    }
}
