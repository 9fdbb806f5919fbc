package dev.marketdata.job.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.model.Fundamentals;
import dev.marketdata.sources.model.NewsArticle;
import dev.marketdata.sources.model.OptionQuote;
import dev.marketdata.sources.synthetic.FundamentalsCorruption;
import dev.marketdata.sources.synthetic.NewsCorruption;
import dev.marketdata.sources.synthetic.OptionCorruption;
import dev.marketdata.sources.synthetic.SyntheticBars;
import dev.marketdata.sources.synthetic.SyntheticFundamentals;
import dev.marketdata.sources.synthetic.SyntheticGenerator;
import dev.marketdata.sources.synthetic.SyntheticNews;
import dev.marketdata.sources.synthetic.SyntheticOptionQuotes;
import dev.marketdata.sources.synthetic.SyntheticSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The synthetic market against the validators: every record it means to be valid is, and every way it spoils
 * a record is caught with the reason code made for it.
 */
class SyntheticDataValidityTest {

    // From 22:30 on Friday 29 March 2024 in New York past midnight: a new day and new expirations.
    private static final SyntheticSpec MINUTES =
            new SyntheticSpec(24, 200, 0, 0, 11, Instant.parse("2024-03-30T02:30:00Z"));
    // 15 fiscal years of 40 companies: every fiscal year end month comes up.
    private static final SyntheticSpec QUARTERS =
            new SyntheticSpec(40, 60, 0, 0, 11, Instant.parse("2024-03-30T02:30:00Z"));

    static final Map<OptionCorruption, OptionQuoteValidator.Reason> OPTION_REASONS = Map.of(
            OptionCorruption.BID_ABOVE_ASK, OptionQuoteValidator.Reason.BID_ABOVE_ASK,
            OptionCorruption.NEGATIVE_STRIKE, OptionQuoteValidator.Reason.NON_POSITIVE_STRIKE,
            OptionCorruption.MALFORMED_CONTRACT, OptionQuoteValidator.Reason.MALFORMED_CONTRACT,
            OptionCorruption.EXPIRED, OptionQuoteValidator.Reason.QUOTE_AFTER_EXPIRATION,
            OptionCorruption.DELTA_OUT_OF_RANGE, OptionQuoteValidator.Reason.INVALID_GREEK);

    static final Map<FundamentalsCorruption, FundamentalsValidator.Reason> FUNDAMENTALS_REASONS = Map.of(
            FundamentalsCorruption.PERIOD_END_BEFORE_START, FundamentalsValidator.Reason.PERIOD_END_BEFORE_START,
            FundamentalsCorruption.UNKNOWN_PERIOD, FundamentalsValidator.Reason.UNKNOWN_PERIOD,
            FundamentalsCorruption.FILED_BEFORE_PERIOD_END, FundamentalsValidator.Reason.FILED_BEFORE_PERIOD_END,
            FundamentalsCorruption.NEGATIVE_REVENUE, FundamentalsValidator.Reason.NEGATIVE_AMOUNT,
            FundamentalsCorruption.UNKNOWN_CURRENCY, FundamentalsValidator.Reason.UNKNOWN_CURRENCY);

    static final Map<NewsCorruption, NewsArticleValidator.Reason> NEWS_REASONS = Map.of(
            NewsCorruption.BLANK_HEADLINE, NewsArticleValidator.Reason.BLANK_HEADLINE,
            NewsCorruption.MALFORMED_URL, NewsArticleValidator.Reason.MALFORMED_URL,
            NewsCorruption.NO_SYMBOLS, NewsArticleValidator.Reason.NO_SYMBOLS,
            NewsCorruption.MALFORMED_ID, NewsArticleValidator.Reason.MALFORMED_ID,
            NewsCorruption.SENTIMENT_OUT_OF_RANGE, NewsArticleValidator.Reason.INVALID_SENTIMENT);

    private static <T> List<T> generate(SyntheticSpec spec, SyntheticGenerator<T> generator) {
        SyntheticBars walk = new SyntheticBars(spec);
        List<T> out = new ArrayList<>();
        for (int i = 0; i < spec.symbols(); i++) {
            double close = walk.initialClose(i);
            for (long j = 0; j < spec.stepsPerSymbol(); j++) {
                Bar bar = walk.bar(i, j, close);
                generator.generate(i, j, bar, out);
                close = bar.close();
            }
        }
        return out;
    }

    @Test
    void everyCleanOptionQuoteIsValidAndEverySpoiledOneCaughtForItsReason() {
        OptionQuoteValidator validator = new OptionQuoteValidator();
        List<OptionQuote> quotes = generate(MINUTES, new SyntheticOptionQuotes(MINUTES));
        assertThat(quotes).hasSize(24 * 200 * 20);
        assertAllValid(quotes, validator);
        assertThat(OPTION_REASONS).containsOnlyKeys(OptionCorruption.values());
        for (OptionQuote q : quotes.subList(0, 500)) {
            OPTION_REASONS.forEach((corruption, reason) -> assertThat(validator
                            .check(SyntheticOptionQuotes.corrupt(
                                    q,
                                    corruption,
                                    q.ts().atZone(SyntheticOptionQuotes.NEW_YORK)
                                            .toLocalDate()))
                            .reason())
                    .as(corruption + " of " + q)
                    .isEqualTo(reason.name()));
        }
    }

    @Test
    void everyCleanFundamentalsRecordIsValidAndEverySpoiledOneCaughtForItsReason() {
        FundamentalsValidator validator = new FundamentalsValidator();
        List<Fundamentals> reports = generate(QUARTERS, new SyntheticFundamentals(QUARTERS));
        assertAllValid(reports, validator);
        assertThat(reports.stream()
                        .filter(f -> f.fiscalPeriod().equals("FY"))
                        .map(f -> f.periodEnd().getMonth())
                        .distinct())
                .hasSize(4);
        assertThat(reports.stream().map(Fundamentals::fiscalPeriod).distinct())
                .containsExactlyInAnyOrder("Q1", "Q2", "Q3", "Q4", "FY", "TTM");
        assertThat(FUNDAMENTALS_REASONS).containsOnlyKeys(FundamentalsCorruption.values());
        for (Fundamentals f : reports.subList(0, 500)) {
            FUNDAMENTALS_REASONS.forEach((corruption, reason) -> assertThat(validator
                            .check(SyntheticFundamentals.corrupt(f, corruption))
                            .reason())
                    .as(corruption + " of " + f)
                    .isEqualTo(reason.name()));
        }
    }

    @Test
    void everyCleanArticleIsValidAndEverySpoiledOneCaughtForItsReason() {
        NewsArticleValidator validator = new NewsArticleValidator();
        List<NewsArticle> articles = generate(MINUTES, new SyntheticNews(MINUTES));
        assertThat(articles).hasSizeGreaterThan(24 * 200 / 5);
        assertAllValid(articles, validator);
        assertThat(NEWS_REASONS).containsOnlyKeys(NewsCorruption.values());
        for (NewsArticle a : articles.subList(0, 500)) {
            NEWS_REASONS.forEach((corruption, reason) -> assertThat(validator
                            .check(SyntheticNews.corrupt(a, corruption))
                            .reason())
                    .as(corruption + " of " + a)
                    .isEqualTo(reason.name()));
        }
    }

    @Test
    void everyCleanBarIsValid() {
        assertAllValid(generate(MINUTES, new SyntheticBars(MINUTES)), new BarValidator());
    }

    private static <T> void assertAllValid(List<T> records, Validator<T> validator) {
        List<String> invalid = new ArrayList<>();
        for (T record : records) {
            Violation violation = validator.check(record);
            if (violation != null && invalid.size() < 5) {
                invalid.add(violation + " for " + record);
            }
        }
        assertThat(invalid).isEmpty();
    }
}
