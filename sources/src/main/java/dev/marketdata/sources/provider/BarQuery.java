package dev.marketdata.sources.provider;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What one split asks a provider for: the bars of one instrument of one timeframe in {@code [from, to)}.
 *
 * @param ticker the symbol as the user wrote it and as it is stored, e.g. {@code BRK.B}
 * @param providerId the provider's own id of the instrument from {@link BarsProtocol#readLookup}: IBKR's conid;
 *     for Polygon and Alpaca the ticker itself
 * @param timeframe the project's timeframe, one of {@code 1m 5m 15m 30m 1h 1d} (see
 *     {@link dev.marketdata.sources.model.Timeframe})
 * @param from first instant wanted (inclusive, UTC)
 * @param to end of the window (exclusive, UTC)
 * @param options provider options, e.g. {@code feed=iex} for Alpaca; empty when none
 */
public record BarQuery(
        String ticker, String providerId, String timeframe, Instant from, Instant to, Map<String, String> options)
        implements Serializable {

    public BarQuery {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("empty window [" + from + ", " + to + ")");
        }
        options = Map.copyOf(options);
    }

    /** The timeframe's length. */
    public Duration length() {
        return dev.marketdata.sources.model.Timeframe.parse(timeframe)
                .orElseThrow(() -> new IllegalArgumentException("not a timeframe: " + timeframe));
    }

    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** Whether {@code ts} lies in {@code [from, to)}. */
    public boolean covers(Instant ts) {
        return !ts.isBefore(from) && ts.isBefore(to);
    }
}
