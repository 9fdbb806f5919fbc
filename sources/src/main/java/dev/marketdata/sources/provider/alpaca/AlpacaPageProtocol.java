package dev.marketdata.sources.provider.alpaca;

import dev.marketdata.sources.provider.BarsProtocol;
import dev.marketdata.sources.provider.HttpRequestSpec;
import dev.marketdata.sources.provider.PageProtocol;
import dev.marketdata.sources.provider.PageQuery;
import java.util.Optional;

/**
 * What Alpaca's data sets other than bars share (providers.md section 2): the bars protocol's lookup (the trading
 * API's assets), errors, authentication and rate ({@link #transport()}), and {@code page_token} pagination: the
 * first request again with {@code page_token=<next_page_token>}. A data set says its first request and how its
 * answer reads.
 */
abstract class AlpacaPageProtocol<T> implements PageProtocol<T> {

    private static final long serialVersionUID = 1L;

    private final AlpacaBarsProtocol transport;

    AlpacaPageProtocol(AlpacaBarsProtocol transport) {
        this.transport = transport;
    }

    @Override
    public final BarsProtocol transport() {
        return transport;
    }

    @Override
    public final HttpRequestSpec pageRequest(PageQuery query, Optional<String> cursor) {
        return HttpRequestSpec.get(firstPage(query)
                + cursor.map(token -> "&page_token=" + AlpacaBarsProtocol.encode(token))
                        .orElse(""));
    }

    /** The path and query of the first page of {@code query}. */
    abstract String firstPage(PageQuery query);
}
