package dev.marketdata.sources.provider.alpaca;

import java.util.Map;

/**
 * Our bar timeframes ({@code 1m|5m|15m|30m|1h|1d}) in Alpaca's {@code timeframe} query parameter spelling
 * ({@code {N}Min}, {@code {N}Hour}, {@code 1Day}; Alpaca Market Data API v2, stock bars).
 */
public final class AlpacaTimeframe {

    private static final Map<String, String> TO_ALPACA =
            Map.of("1m", "1Min", "5m", "5Min", "15m", "15Min", "30m", "30Min", "1h", "1Hour", "1d", "1Day");

    private AlpacaTimeframe() {}

    /**
     * Alpaca's name for {@code timeframe}.
     *
     * @throws IllegalArgumentException when the backfill does not support {@code timeframe} for Alpaca
     */
    public static String of(String timeframe) {
        String alpaca = TO_ALPACA.get(timeframe);
        if (alpaca == null) {
            throw new IllegalArgumentException(
                    "timeframe '" + timeframe + "' is not one of 1m, 5m, 15m, 30m, 1h, 1d (Alpaca backfill)");
        }
        return alpaca;
    }
}
