package dev.marketdata.sources.provider;

import java.io.Serializable;
import java.time.Instant;
import java.util.Optional;

/**
 * The wire protocol of one provider's historical records of one data set other than bars (news, fundamentals,
 * option quotes), and nothing else: the request of a page and what its answer means. Pure like
 * {@link BarsProtocol}, and added beside it so that code written against {@code BarsProtocol} is untouched.
 *
 * <p>Everything a provider does the same for all its data sets (its lookup, its errors, its authentication, its
 * request rate, its session) stays with the provider's {@link BarsProtocol}, returned by {@link #transport()}, so
 * the same {@link ProviderClient} serves every data set of a provider.
 *
 * <p>Flow for each ticker: {@link #pageRequest} with an empty cursor, {@link #readPage}, and again with
 * {@link Page#nextCursor()} until it is empty. Implementations: news, option quotes and fundamentals of Polygon, news and option
 * quotes of Alpaca; most read their answers with {@link JsonItems}.
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
}
