package dev.marketdata.sources.provider.polygon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.sources.provider.BarsProtocol;
import dev.marketdata.sources.provider.HttpRequestSpec;
import dev.marketdata.sources.provider.JsonItems;
import dev.marketdata.sources.provider.Page;
import dev.marketdata.sources.provider.PageProtocol;
import dev.marketdata.sources.provider.PageQuery;
import java.util.Optional;

/**
 * What Polygon's data sets other than bars share (providers.md section 1): the bars protocol's lookup, errors,
 * authentication and rate ({@link #transport()}); a {@code results} array, absent or {@code null} when empty; and
 * {@code next_url} pagination, its path and query sent to the configured base URL (one whose host does not parse is
 * refused). A data set says only its first request and how one result reads.
 */
abstract class PolygonPageProtocol<T> implements PageProtocol<T> {

    private static final long serialVersionUID = 1L;

    private final PolygonProtocol transport = new PolygonProtocol();

    @Override
    public final BarsProtocol transport() {
        return transport;
    }

    @Override
    public final HttpRequestSpec pageRequest(PageQuery query, Optional<String> cursor) {
        return HttpRequestSpec.get(cursor.isPresent() ? PolygonProtocol.pathAndQuery(cursor.get()) : firstPage(query));
    }

    @Override
    public final Page<T> readPage(PageQuery query, byte[] body) {
        return JsonItems.page(body, "results", "next_url", result -> read(query, result));
    }

    /** The path and query of the first page of {@code query}. */
    abstract String firstPage(PageQuery query);

    /**
     * One element of {@code results}.
     *
     * @throws dev.marketdata.sources.provider.ItemRejection when it is not a storable record
     */
    abstract T read(PageQuery query, JsonNode result);
}
