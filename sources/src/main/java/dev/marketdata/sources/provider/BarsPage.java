package dev.marketdata.sources.provider;

import dev.marketdata.sources.model.Bar;
import java.util.List;
import java.util.Optional;

/**
 * One response of a bars request, read.
 *
 * @param bars the bars in the order received, each with {@code provider}, {@code symbol} (the query's ticker) and
 *     {@code timeframe} set; the framework checks them against the window and de-duplicates them
 * @param rejects items that are not bars, with their raw text and reason
 * @param nextCursor the cursor of the next page (Polygon's {@code next_url} path and query, Alpaca's
 *     {@code next_page_token}, IBKR's next time window), or empty on the last page
 */
public record BarsPage(List<Bar> bars, List<RejectedItem> rejects, Optional<String> nextCursor) {

    public BarsPage {
        bars = List.copyOf(bars);
        rejects = List.copyOf(rejects);
    }

    /** Whether the response had nothing at all: no bars, no rejects, no next page. */
    public boolean isEmpty() {
        return bars.isEmpty() && rejects.isEmpty() && nextCursor.isEmpty();
    }
}
