package dev.marketdata.job.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.job.testing.Samples;
import dev.marketdata.sources.model.Fundamentals;
import dev.marketdata.sources.model.NewsArticle;
import dev.marketdata.sources.model.OptionQuote;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire formats of option quotes, fundamentals and news: docs/data-sets.md's examples, round trips, errors. */
class DatasetJsonTest {

    private static final OptionQuoteJson OPTIONS = new OptionQuoteJson();
    private static final FundamentalsJson FUNDAMENTALS = new FundamentalsJson();
    private static final NewsArticleJson NEWS = new NewsArticleJson();

    @Test
    void readsTheDocumentedOptionQuoteAndWritesItBackAsItWas() throws Exception {
        OptionQuote quote = OPTIONS.read(Json.MAPPER.readTree(Samples.OPTION_QUOTE));
        assertThat(quote)
                .isEqualTo(new OptionQuote(
                        "AAPL240315C00180000",
                        "AAPL",
                        LocalDate.of(2024, 3, 15),
                        180.0,
                        "call",
                        4.35,
                        4.45,
                        4.4,
                        12L,
                        30L,
                        1520L,
                        20311L,
                        0.2231,
                        0.5412,
                        0.0456,
                        -0.0712,
                        0.1534,
                        0.0321,
                        Instant.parse("2024-03-01T14:30:00Z"),
                        "polygon"));
        assertThat(Json.toJson(OPTIONS, quote)).isEqualTo(Samples.OPTION_QUOTE);
    }

    @Test
    void readsTheDocumentedFundamentalsAndWritesThemBack() throws Exception {
        Fundamentals report = FUNDAMENTALS.read(Json.MAPPER.readTree(Samples.FUNDAMENTALS));
        assertThat(report)
                .isEqualTo(new Fundamentals(
                        "AAPL",
                        2024,
                        "Q1",
                        LocalDate.of(2023, 10, 1),
                        LocalDate.of(2023, 12, 30),
                        LocalDate.of(2024, 2, 2),
                        119575000000.0,
                        54855000000.0,
                        40373000000.0,
                        33916000000.0,
                        2.19,
                        2.18,
                        353514000000.0,
                        279414000000.0,
                        74100000000.0,
                        39895000000.0,
                        "USD",
                        "polygon"));
        // Amounts come back as doubles (1.19575E11): the same numbers, in JSON's other notation.
        assertThat(FUNDAMENTALS.read(Json.MAPPER.readTree(Json.toJson(FUNDAMENTALS, report))))
                .isEqualTo(report);
    }

    @Test
    void readsTheDocumentedArticleAndWritesItBackAsItWas() throws Exception {
        NewsArticle article = NEWS.read(Json.MAPPER.readTree(Samples.NEWS));
        assertThat(article)
                .isEqualTo(new NewsArticle(
                        "bz-37412345",
                        Instant.parse("2024-03-01T14:31:07Z"),
                        "Apple and Microsoft lead a tech rally",
                        "Megacaps rose in early trading.",
                        "Jane Doe",
                        "https://www.benzinga.com/news/24/03/37412345/tech-rally",
                        List.of("AAPL", "MSFT"),
                        "Benzinga",
                        0.42,
                        "benzinga"));
        assertThat(Json.toJson(NEWS, article)).isEqualTo(Samples.NEWS);
    }

    @Test
    void optionalFieldsMayBeAbsentOrNullAndNullsAreWrittenAsNull() throws Exception {
        OptionQuote bare = OPTIONS.read(Json.MAPPER.readTree(Samples.edit(Samples.OPTION_QUOTE, n -> {
            n.retain("contract", "underlying", "expiration", "strike", "option_right", "bid", "ask", "ts", "last");
            n.putNull("last");
        })));
        assertThat(bare.last()).isNull();
        assertThat(bare.openInterest()).isNull();
        assertThat(bare.provider()).isEqualTo(BarJson.UNKNOWN_PROVIDER);
        assertThat(Json.toJson(OPTIONS, bare))
                .contains("\"last\":null,\"bid_size\":null")
                .endsWith("\"rho\":null,\"ts\":\"2024-03-01T14:30:00Z\",\"provider\":\"unknown\"}");

        NewsArticle article = NEWS.read(Json.MAPPER.readTree(
                Samples.edit(Samples.NEWS, n -> n.retain("id", "published_at", "headline", "url", "symbols"))));
        assertThat(NEWS.read(Json.MAPPER.readTree(Json.toJson(NEWS, article)))).isEqualTo(article);
    }

    @Test
    void ignoresFieldsItDoesNotKnow() throws Exception {
        // Producers may add fields before the job knows them; the table has no column for them anyway.
        assertThat(NEWS.read(Json.MAPPER.readTree(Samples.edit(
                        Samples.NEWS,
                        n -> n.put("updated_at", "x").putObject("extra").put("a", 1)))))
                .isEqualTo(NEWS.read(Json.MAPPER.readTree(Samples.NEWS)));
    }

    @Test
    void namesTheFieldThatIsMissingWithItsReason() {
        assertThatThrownBy(() ->
                        OPTIONS.read(Json.MAPPER.readTree(Samples.edit(Samples.OPTION_QUOTE, n -> n.remove("strike")))))
                .isInstanceOfSatisfying(JsonFieldException.class, e -> assertThat(e.reason())
                        .isEqualTo(JsonFieldException.MISSING_FIELD))
                .hasMessage("missing required field 'strike'");
        assertThatThrownBy(() -> FUNDAMENTALS.read(
                        Json.MAPPER.readTree(Samples.edit(Samples.FUNDAMENTALS, n -> n.putNull("fiscal_year")))))
                .hasMessage("missing required field 'fiscal_year'");
        assertThatThrownBy(() -> NEWS.read(Json.MAPPER.readTree(Samples.edit(Samples.NEWS, n -> n.remove("symbols")))))
                .hasMessage("missing required field 'symbols'");
    }

    @Test
    void namesTheFieldOfTheWrongTypeWithItsReason() {
        assertWrongType(
                OPTIONS,
                Samples.edit(Samples.OPTION_QUOTE, n -> n.put("bid", "4.35")),
                "field 'bid' must be a number, got STRING");
        assertWrongType(
                OPTIONS,
                Samples.edit(Samples.OPTION_QUOTE, n -> n.put("expiration", "15/03/2024")),
                "field 'expiration' must be a date (YYYY-MM-DD), got '15/03/2024'");
        assertWrongType(
                OPTIONS,
                Samples.edit(Samples.OPTION_QUOTE, n -> n.put("volume", 15.5)),
                "field 'volume' must be an integer, got 15.5");
        assertWrongType(
                FUNDAMENTALS,
                Samples.edit(Samples.FUNDAMENTALS, n -> n.put("fiscal_year", "2024")),
                "field 'fiscal_year' must be a 32-bit integer, got \"2024\"");
        assertWrongType(
                FUNDAMENTALS,
                Samples.edit(Samples.FUNDAMENTALS, n -> n.put("fiscal_year", 1e10)),
                "field 'fiscal_year' must be a 32-bit integer, got 1.0E10");
        assertWrongType(
                NEWS,
                Samples.edit(Samples.NEWS, n -> n.put("symbols", "AAPL")),
                "field 'symbols' must be an array of strings, got \"AAPL\"");
        assertWrongType(
                NEWS,
                Samples.edit(
                        Samples.NEWS, n -> n.putArray("symbols").add("AAPL").add(7)),
                "field 'symbols' must be an array of strings, got [\"AAPL\",7]");
        assertWrongType(
                NEWS,
                Samples.edit(Samples.NEWS, n -> n.put("published_at", "2024-03-01 14:31")),
                "field 'published_at' must be an RFC 3339 UTC time, got '2024-03-01 14:31'");
    }

    private static void assertWrongType(RecordJson<?> format, String json, String message) {
        assertThatThrownBy(() -> format.read(Json.MAPPER.readTree(json)))
                .isInstanceOfSatisfying(
                        JsonFieldException.class, e -> assertThat(e.reason()).isEqualTo(JsonFieldException.WRONG_TYPE))
                .hasMessage(message);
    }
}
