package dev.marketdata.sources.provider.ibkr;

import java.util.Map;

/**
 * Our bar timeframes ({@code 1m|5m|15m|30m|1h|1d}) as the Client Portal history endpoint's {@code bar} parameter
 * ({@code 1min|2min|3min|5min|10min|15min|30min|1h|2h|3h|4h|8h|1d|1w|1m}, IBKR Client Portal Web API docs).
 */
final class IbkrBarSize {

    private static final Map<String, String> TO_IBKR =
            Map.of("1m", "1min", "5m", "5min", "15m", "15min", "30m", "30min", "1h", "1h", "1d", "1d");

    private IbkrBarSize() {}

    static boolean supports(String timeframe) {
        return TO_IBKR.containsKey(timeframe);
    }

    /**
     * IBKR's {@code bar} for {@code timeframe}.
     *
     * @throws IllegalArgumentException when the backfill does not support {@code timeframe} for IBKR
     */
    static String of(String timeframe) {
        String bar = TO_IBKR.get(timeframe);
        if (bar == null) {
            throw new IllegalArgumentException(
                    "timeframe '" + timeframe + "' is not one of 1m, 5m, 15m, 30m, 1h, 1d (IBKR backfill)");
        }
        return bar;
    }
}
