package dev.marketdata.job.sink.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.job.json.FundamentalsJson;
import dev.marketdata.job.json.NewsArticleJson;
import dev.marketdata.job.json.OptionQuoteJson;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Samples;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.model.Fundamentals;
import dev.marketdata.sources.model.NewsArticle;
import dev.marketdata.sources.model.OptionQuote;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The option-quote, fundamentals and news tables through {@link PgBatchWriter}: binary COPY of every column type
 * they use (dates, text arrays, nulls, UTF-8), and the upsert fallback, which reads the same rows back from
 * JSON, for replays and corrections.
 */
class DatasetTablesITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final OptionQuote QUOTE = Samples.read(new OptionQuoteJson(), Samples.OPTION_QUOTE, n -> {});
    private static final OptionQuote BARE_PUT = Samples.read(new OptionQuoteJson(), Samples.OPTION_QUOTE, n -> n.retain(
                    "underlying", "expiration", "strike", "bid", "ask", "ts")
            .put("contract", "AAPL  240315P00180000")
            .put("option_right", "put")
            .put("provider", "ibkr"));
    private static final Fundamentals REPORT = Samples.read(new FundamentalsJson(), Samples.FUNDAMENTALS, n -> {});
    private static final Fundamentals BANK_TTM = Samples.read(
            new FundamentalsJson(), Samples.FUNDAMENTALS, n -> n.retain("fiscal_year", "period_end", "currency")
                    .put("symbol", "JPM")
                    .put("fiscal_period", "TTM")
                    .put("period_start", "2023-01-01")
                    .put("net_income", -1.5e9)
                    .put("eps_basic", -0.25));
    private static final NewsArticle ARTICLE = Samples.read(new NewsArticleJson(), Samples.NEWS, n -> {});
    private static final NewsArticle ODD_ARTICLE = new NewsArticle(
            "ä/1\"x",
            ARTICLE.publishedAt(),
            "Zoë's \"quotes\", commas, {braces} — and ☃",
            null,
            null,
            "https://例え.jp/記事?q=\"1\"",
            List.of("BRK.B", "X:BTCUSD", "^GSPC"),
            null,
            null,
            "prövider");

    @BeforeAll
    static void schema() throws Exception {
        SchemaMigrator.migrate(DB.jdbc());
    }

    private static <T> int write(PgTable<T> table, List<T> rows) throws Exception {
        try (Connection c = DB.jdbc().connect()) {
            PgBatchWriter.Result<T> result = new PgBatchWriter<>(table).write(c, rows);
            c.commit();
            return result.upserted();
        }
    }

    @Test
    void optionQuotesCopyExactlyAndReplayIdempotently() throws Exception {
        assertThat(write(new OptionQuoteTable(), List.of(QUOTE, BARE_PUT))).isZero();
        assertThat(Tables.optionQuotes(DB)).containsExactly(BARE_PUT, QUOTE);
        List<String> versions = DB.rows("SELECT xmin, ctid FROM option_quotes ORDER BY contract");

        // A replay goes through the JSON upsert and changes nothing, not even a row version.
        assertThat(write(new OptionQuoteTable(), List.of(QUOTE, BARE_PUT))).isEqualTo(2);
        assertThat(Tables.optionQuotes(DB)).containsExactly(BARE_PUT, QUOTE);
        assertThat(DB.rows("SELECT xmin, ctid FROM option_quotes ORDER BY contract"))
                .isEqualTo(versions);

        OptionQuote corrected = Samples.read(new OptionQuoteJson(), Samples.OPTION_QUOTE, n -> n.put("bid", 4.4)
                .putNull("delta"));
        assertThat(write(new OptionQuoteTable(), List.of(corrected))).isEqualTo(1);
        assertThat(Tables.optionQuotes(DB)).containsExactly(BARE_PUT, corrected);
        assertThat(DB.rows("SELECT expiration, ts AT TIME ZONE 'UTC' FROM option_quotes WHERE option_right = 'call'"))
                .containsExactly("2024-03-15|2024-03-01 14:30:00");
    }

    @Test
    void fundamentalsCopyExactlyAndReplayIdempotently() throws Exception {
        assertThat(write(new FundamentalsTable(), List.of(REPORT, BANK_TTM))).isZero();
        assertThat(Tables.fundamentals(DB)).containsExactly(REPORT, BANK_TTM);

        assertThat(write(new FundamentalsTable(), List.of(REPORT, BANK_TTM))).isEqualTo(2);
        assertThat(Tables.fundamentals(DB)).containsExactly(REPORT, BANK_TTM);

        Fundamentals restated =
                Samples.read(new FundamentalsJson(), Samples.FUNDAMENTALS, n -> n.put("net_income", 33900000000.0)
                        .put("filing_date", "2024-05-03"));
        assertThat(write(new FundamentalsTable(), List.of(restated))).isEqualTo(1);
        assertThat(Tables.fundamentals(DB)).containsExactly(restated, BANK_TTM);
        assertThat(DB.rows("SELECT fiscal_year, period_start, period_end, filing_date, revenue FROM fundamentals "
                        + "ORDER BY symbol"))
                .containsExactly(
                        "2024|2023-10-01|2023-12-30|2024-05-03|119575000000", "2024|2023-01-01|2023-12-30|null|null");
    }

    @Test
    void newsCopiesExactlyWithItsSymbolArrayAndReplaysIdempotently() throws Exception {
        assertThat(write(new NewsTable(), List.of(ARTICLE, ODD_ARTICLE))).isZero();
        assertThat(Tables.news(DB)).containsExactly(ARTICLE, ODD_ARTICLE);

        assertThat(write(new NewsTable(), List.of(ODD_ARTICLE, ARTICLE))).isEqualTo(2);
        assertThat(Tables.news(DB)).containsExactly(ARTICLE, ODD_ARTICLE);

        NewsArticle retagged = Samples.read(
                new NewsArticleJson(), Samples.NEWS, n -> n.putArray("symbols").add("AAPL"));
        assertThat(write(new NewsTable(), List.of(retagged))).isEqualTo(1);
        assertThat(Tables.news(DB)).containsExactly(retagged, ODD_ARTICLE);
        assertThat(DB.rows("SELECT id FROM news WHERE symbols @> ARRAY['X:BTCUSD']"))
                .containsExactly("ä/1\"x");
    }

    @Test
    void theSameArticleIdFromAnotherProviderIsAnotherArticle() throws Exception {
        NewsArticle elsewhere = Samples.read(new NewsArticleJson(), Samples.NEWS, n -> n.put("provider", "polygon"));
        write(new NewsTable(), List.of(ARTICLE));
        assertThat(write(new NewsTable(), List.of(elsewhere))).isZero();
        assertThat(DB.rows("SELECT provider FROM news WHERE id = 'bz-37412345' ORDER BY provider"))
                .containsExactly("benzinga", "polygon");
    }

    @Test
    void eachTablesColumnsAreItsJsonFieldsInOrder() throws Exception {
        // The upsert reads rows from JSON by column name, and the COPY writes the columns in this order.
        for (Dataset<?> dataset : Dataset.ALL) {
            String table = dataset.table().name();
            assertThat(DB.rows("SELECT column_name FROM information_schema.columns WHERE table_name = '" + table
                            + "' ORDER BY ordinal_position"))
                    .as(table)
                    .containsExactlyElementsOf(dataset.table().columns());
        }
    }
}
