package dev.marketdata.job.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marketdata.job.json.NewsArticleJson;
import dev.marketdata.job.testing.Samples;
import dev.marketdata.job.validate.NewsArticleValidator.Reason;
import dev.marketdata.sources.model.NewsArticle;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NewsArticleValidatorTest {

    private final NewsArticleValidator validator = new NewsArticleValidator();

    private static NewsArticle article(Consumer<ObjectNode> change) {
        return Samples.read(new NewsArticleJson(), Samples.NEWS, change);
    }

    @Test
    void acceptsTheDocumentedArticle() {
        assertThat(validator.check(article(n -> {}))).isNull();
    }

    @Test
    void acceptsAnArticleWithoutAnyOptionalField() {
        NewsArticle bare = article(n -> n.retain("id", "published_at", "headline", "url", "symbols"));
        assertThat(bare.provider()).isEqualTo("unknown");
        assertThat(validator.check(bare)).isNull();
    }

    @Test
    void aTagBeyondTheGinIndexEntryLimitIsRefusedAndOneAtItIsStored() {
        String atLimit = "é".repeat(StoredDomain.MAX_KEY_TEXT_BYTES / 2); // 2 bytes each in UTF-8
        assertThat(validator.check(
                        article(n -> n.putArray("symbols").add("AAPL").add(atLimit))))
                .isNull();
        Violation beyond =
                validator.check(article(n -> n.putArray("symbols").add("AAPL").add(atLimit + "x")));
        assertThat(beyond.reason()).isEqualTo(Reason.KEY_TOO_LONG.name());
        assertThat(beyond.message()).contains("symbols[1] (GIN index)");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://example.com",
                "https://example.com/a?b=c#d",
                "HTTPS://EXAMPLE.COM/x",
                "https://www.reuters.com/markets/us/apple-2024-03-01/",
                "https://例え.jp/記事",
                "http://127.0.0.1:8080/n"
            })
    void acceptsUrls(String url) {
        assertThat(validator.check(article(n -> n.put("url", url)))).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "not a url",
                "example.com/news",
                "/relative/path",
                "ftp://example.com/a",
                "mailto:news@example.com",
                "https://",
                "https://exa mple.com",
                "javascript:alert(1)",
                ""
            })
    void rejectsUrlsThatAreNoAbsoluteHttpUrls(String url) {
        assertThat(validator.check(article(n -> n.put("url", url))).reason()).isEqualTo(Reason.MALFORMED_URL.name());
    }

    static Stream<Arguments> brokenArticles() {
        NewsArticle a = article(n -> {});
        return Stream.of(
                Arguments.of(
                        new NewsArticle(null, a.publishedAt(), "h", null, null, a.url(), a.symbols(), null, null, "p"),
                        Reason.MISSING_FIELD),
                Arguments.of(
                        new NewsArticle("1", null, "h", null, null, a.url(), a.symbols(), null, null, "p"),
                        Reason.MISSING_FIELD),
                Arguments.of(
                        new NewsArticle("1", a.publishedAt(), "h", null, null, a.url(), null, null, null, "p"),
                        Reason.MISSING_FIELD),
                Arguments.of(
                        new NewsArticle("1", a.publishedAt(), "h", null, null, a.url(), a.symbols(), null, null, null),
                        Reason.MISSING_FIELD),
                Arguments.of(article(n -> n.put("id", "")), Reason.MALFORMED_ID),
                Arguments.of(article(n -> n.put("id", "  ")), Reason.MALFORMED_ID),
                Arguments.of(article(n -> n.put("id", "a\nb")), Reason.MALFORMED_ID),
                Arguments.of(article(n -> n.put("id", "x".repeat(257))), Reason.MALFORMED_ID),
                Arguments.of(article(n -> n.put("headline", "")), Reason.BLANK_HEADLINE),
                Arguments.of(article(n -> n.put("headline", " \t ")), Reason.BLANK_HEADLINE),
                Arguments.of(article(n -> n.putArray("symbols")), Reason.NO_SYMBOLS),
                Arguments.of(
                        new NewsArticle(
                                "1",
                                a.publishedAt(),
                                "h",
                                null,
                                null,
                                a.url(),
                                Arrays.asList("AAPL", null),
                                null,
                                null,
                                "p"),
                        Reason.MISSING_FIELD),
                Arguments.of(article(n -> n.put("sentiment", 1.01)), Reason.INVALID_SENTIMENT),
                Arguments.of(article(n -> n.put("sentiment", -1.5)), Reason.INVALID_SENTIMENT),
                Arguments.of(article(n -> n.put("sentiment", Double.NaN)), Reason.INVALID_SENTIMENT));
    }

    @ParameterizedTest
    @MethodSource("brokenArticles")
    void rejectsEachBrokenRuleWithItsReason(NewsArticle article, Reason expected) {
        Violation violation = validator.check(article);
        assertThat(violation).as(String.valueOf(article)).isNotNull();
        assertThat(violation.reason()).isEqualTo(expected.name());
        assertThat(violation.message()).isNotBlank();
    }

    @Test
    void sentimentMayBeAbsentOrAtItsBounds() {
        for (double edge : new double[] {-1, 0, 1}) {
            assertThat(validator.check(article(n -> n.put("sentiment", edge)))).isNull();
        }
        assertThat(validator.check(article(n -> n.putNull("sentiment")))).isNull();
        assertThat(article(n -> {}).symbols()).isEqualTo(List.of("AAPL", "MSFT"));
    }

    @Test
    void listsEveryReason() {
        assertThat(validator.reasons()).hasSize(Reason.values().length).contains("MALFORMED_URL");
    }
}
