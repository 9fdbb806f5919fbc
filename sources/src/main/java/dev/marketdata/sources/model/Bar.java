package dev.marketdata.sources.model;

import java.time.Instant;

/**
 * One OHLCV bar: the prices and volume of {@code symbol} over the {@code timeframe} that starts at {@code ts}.
 *
 * <p>Flink serializes records as POJOs, so renaming or retyping a component breaks savepoint compatibility;
 * adding one is allowed.
 *
 * @param symbol instrument symbol, e.g. {@code AAPL}
 * @param timeframe bar length, e.g. {@code 1m}, {@code 5m}, {@code 1h}, {@code 1d} (see {@link Timeframe})
 * @param ts start of the bar (UTC)
 * @param vwap volume-weighted average price, or null when the provider has none
 * @param trades number of trades in the bar, or null when the provider has none
 * @param provider where the bar came from, e.g. {@code polygon} or {@code synthetic}
 */
public record Bar(
        String symbol,
        String timeframe,
        Instant ts,
        double open,
        double high,
        double low,
        double close,
        double volume,
        Double vwap,
        Long trades,
        String provider) {}
