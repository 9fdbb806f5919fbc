package dev.marketdata.sources.provider;

import java.io.Serializable;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What one split of a non-bar data set asks a provider for: the records of one instrument (the ticker, or the
 * underlying for option quotes) in {@code [from, to)}, by the record's own time (a news article's publication, an
 * option quote's time). The generic form of {@link BarQuery}, without a timeframe.
 *
 * @param ticker the symbol as the user wrote it and as it is stored, e.g. {@code BRK.B}
 * @param providerId the provider's own id of the instrument from {@link BarsProtocol#readLookup}
 * @param from first instant wanted (inclusive, UTC)
 * @param to end of the window (exclusive, UTC)
 * @param options provider options; empty when none
 */
public record PageQuery(String ticker, String providerId, Instant from, Instant to, Map<String, String> options)
        implements Serializable {

    public PageQuery {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("empty window [" + from + ", " + to + ")");
        }
        options = Map.copyOf(options);
    }

    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** Whether {@code ts} lies in {@code [from, to)}. */
    public boolean covers(Instant ts) {
        return !ts.isBefore(from) && ts.isBefore(to);
    }
}
