package dev.marketdata.sources.model;

import java.time.Instant;
import java.util.List;

/**
 * One news article about one or more instruments.
 *
 * <p>Flink serializes records as POJOs (the symbols with its built-in list serializer, not Kryo), so renaming or
 * retyping a component breaks savepoint compatibility; adding one is allowed.
 *
 * @param id the provider's id of the article; unique per provider
 * @param publishedAt when the article was published (UTC)
 * @param headline the headline
 * @param summary a summary or teaser, or null
 * @param author the author(s), or null
 * @param url where the article is
 * @param symbols the instruments the article is about, at least one
 * @param source the publisher, e.g. {@code Reuters}, or null
 * @param sentiment the provider's sentiment score from -1 (negative) to 1 (positive), or null
 * @param provider where the article came from, e.g. {@code benzinga} or {@code synthetic}
 */
public record NewsArticle(
        String id,
        Instant publishedAt,
        String headline,
        String summary,
        String author,
        String url,
        List<String> symbols,
        String source,
        Double sentiment,
        String provider) {}
