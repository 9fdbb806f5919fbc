package dev.marketdata.sources.provider;

import java.util.List;
import java.util.Optional;

/**
 * One response of a paged request for records of any data set, read: the generic form of {@link BarsPage}.
 *
 * @param records the records in the order received, each complete as the protocol read it (provider set)
 * @param rejects items that are not storable records, with their raw text and reason
 * @param nextCursor the cursor of the next page (Polygon's {@code next_url}, Alpaca's {@code next_page_token}), or
 *     empty on the last page
 * @param <T> the record type, e.g. {@link dev.marketdata.sources.model.NewsArticle}
 */
public record Page<T>(List<T> records, List<RejectedItem> rejects, Optional<String> nextCursor) {

    public Page {
        records = List.copyOf(records);
        rejects = List.copyOf(rejects);
    }

    /** Whether the response had nothing at all: no records, no rejects, no next page. */
    public boolean isEmpty() {
        return records.isEmpty() && rejects.isEmpty() && nextCursor.isEmpty();
    }
}
