package dev.marketdata.sources.provider;

import java.io.Serializable;
import java.time.Instant;
import java.util.Optional;

/**
 * The wire protocol of one provider's historical records of one data set, and nothing else: the request of a page
 * and what its answer means, for the one reader of every data set ({@link ProviderSource}). Pure like
 * {@link BarsProtocol}; a provider's bars take this form through {@link BarPages}, which also switches on the
 * bars' own checks (the defaults below are those of every other data set).
 *
 * <p>Everything a provider does the same for all its data sets (its lookup, its errors, its authentication, its
 * request rate, its session) stays with the provider's {@link BarsProtocol}, returned by {@link #transport()}, so
 * the same {@link ProviderClient} serves every data set of a provider.
 *
 * <p>Flow for each ticker: {@link #pageRequest} with an empty cursor, {@link #readPage}, and again with
 * {@link Page#nextCursor()} until it is empty. Implementations: {@link BarPages} (every provider's bars); news,
 * option quotes and fundamentals of Polygon; news and option quotes of Alpaca (these read their answers with
 * {@link JsonItems}).
 *
 * @param <T> the record type, e.g. {@link dev.marketdata.sources.model.NewsArticle}
 */
public interface PageProtocol<T> extends Serializable {

    /** The provider's bars protocol, whose lookup, errors, authentication and rate this data set shares. */
    BarsProtocol transport();

    /** The data set's name as {@code --datasets} spells it, e.g. {@code news}. */
    String dataset();

    /**
     * The request for one page of records.
     *
     * @param cursor empty for the first page, else {@link Page#nextCursor()} of the page before
     * @throws IllegalArgumentException when the cursor is unusable (e.g. a {@code next_url} with a broken host)
     */
    HttpRequestSpec pageRequest(PageQuery query, Optional<String> cursor);

    /**
     * Reads one 2xx answer to {@link #pageRequest}. Absent or {@code null} results are an empty page.
     *
     * @throws PayloadException when the body cannot be read at all
     */
    Page<T> readPage(PageQuery query, byte[] body);

    /** The record's time (UTC) by which it belongs to a window, e.g. a news article's publication. */
    Instant timeOf(T record);

    /**
     * Reads one 2xx answer to {@link #pageRequest}{@code (query, cursor)}, for a protocol whose next cursor depends
     * on the request's own (IBKR's time windows); the reader calls this one, the default ignores the cursor.
     *
     * @throws PayloadException when the body cannot be read at all
     */
    default Page<T> readPage(PageQuery query, Optional<String> cursor, byte[] body) {
        return readPage(query, body);
    }

    /**
     * Whether an empty first page for {@code query} is suspect and asked again ({@code --provider.empty-retries})
     * before it is believed: bars of a known ticker on a trading day. Default: believed at once (a ticker without
     * news on a day is normal).
     */
    default boolean suspectEmpty(PageQuery query) {
        return false;
    }

    /**
     * Whether a record's time is its key within a split (bars: one per start), so that a second record with the
     * time of one already emitted is dropped when identical and dead-lettered otherwise. Default: false (two
     * articles can share a second).
     */
    default boolean timeIsKey() {
        return false;
    }

    /**
     * Whether a split is one New York day at most and one page of {@link BarsProtocol#maxBarsPerPage()} at most
     * (bars); default: one split per ticker over the whole window (news and filings appear on any day, and their
     * pages hold a count, not a span, of records).
     */
    default boolean splitsByDay() {
        return false;
    }
}
