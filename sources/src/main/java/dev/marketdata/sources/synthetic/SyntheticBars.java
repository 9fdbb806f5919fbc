package dev.marketdata.sources.synthetic;

import dev.marketdata.sources.model.Bar;
import java.time.Instant;

/**
 * The synthetic provider's pure logic: a seeded random walk per symbol, so that bar {@code j} of symbol
 * {@code i} depends only on the seed, {@code i}, {@code j} and the previous close.
 */
public final class SyntheticBars {

    public static final String PROVIDER = "synthetic";

    private static final long BAR_SECONDS = SyntheticBarSpec.BAR_LENGTH.getSeconds();

    private final SyntheticBarSpec spec;
    /** Every symbol's name, made once: a String.format per bar was a third of the source's CPU. */
    private final String[] symbols;

    public SyntheticBars(SyntheticBarSpec spec) {
        this.spec = spec;
        this.symbols = new String[spec.symbols()];
        for (int i = 0; i < symbols.length; i++) {
            symbols[i] = symbol(i);
        }
    }

    public static String symbol(int symbolIndex) {
        return String.format("SYN%04d", symbolIndex);
    }

    /** The close before the first bar of a symbol: between 20 and 500. */
    public double initialClose(int symbolIndex) {
        return cents(20 + unit(mix(spec.seed(), symbolIndex, -1, 0)) * 480);
    }

    /**
     * Number of the record for bar {@code barIndex} of symbol {@code symbolIndex}, counting from 1 in time-major
     * order (every symbol's first bar, then every symbol's second bar, ...). It does not depend on how the
     * symbols are spread over readers, so {@code --invalid-every} picks the same records at any parallelism.
     */
    public long recordNumber(int symbolIndex, long barIndex) {
        return barIndex * spec.symbols() + symbolIndex + 1;
    }

    /** The corruption applied to a record, or null when it is valid. */
    public Corruption corruptionOf(long recordNumber) {
        long k = spec.invalidEvery();
        return k > 0 && recordNumber % k == 0 ? Corruption.forInvalidRecord(recordNumber / k) : null;
    }

    /** The valid bar {@code barIndex} of a symbol whose previous bar closed at {@code previousClose}. */
    public Bar bar(int symbolIndex, long barIndex, double previousClose) {
        long h = mix(spec.seed(), symbolIndex, barIndex, 1);
        double open = previousClose;
        double close = Math.max(0.05, cents(open * (1 + (unit(h) - 0.5) * 0.004)));
        h = mix(h, 2, 0, 0);
        double high = Math.ceil(Math.max(open, close) * (1 + unit(h) * 0.001) * 100) / 100;
        h = mix(h, 3, 0, 0);
        double low = Math.max(0.01, Math.floor(Math.min(open, close) * (1 - unit(h) * 0.001) * 100) / 100);
        h = mix(h, 4, 0, 0);
        double volume = 100 + Math.floor(unit(h) * 10_000);
        h = mix(h, 5, 0, 0);
        long trades = 1 + (long) (unit(h) * 200);
        double vwap = Math.round((open + high + low + close) / 4 * 10_000) / 10_000.0;
        // Not Duration.multipliedBy, which does BigDecimal arithmetic on every call.
        Instant ts = spec.start().plusSeconds(BAR_SECONDS * barIndex);
        return new Bar(
                symbols[symbolIndex],
                SyntheticBarSpec.TIMEFRAME,
                ts,
                open,
                high,
                low,
                close,
                volume,
                vwap,
                trades,
                PROVIDER);
    }

    /** {@code bar} spoiled in the given way. */
    public static Bar corrupt(Bar bar, Corruption corruption) {
        return switch (corruption) {
            case HIGH_BELOW_LOW -> new Bar(bar.symbol(), bar.timeframe(), bar.ts(), bar.open(), bar.low() - 0.01,
                    bar.high() + 0.01, bar.close(), bar.volume(), bar.vwap(), bar.trades(), bar.provider());
            case NEGATIVE_PRICE -> new Bar(bar.symbol(), bar.timeframe(), bar.ts(), -bar.open(), bar.high(),
                    bar.low(), bar.close(), bar.volume(), bar.vwap(), bar.trades(), bar.provider());
            case NEGATIVE_VOLUME -> new Bar(bar.symbol(), bar.timeframe(), bar.ts(), bar.open(), bar.high(),
                    bar.low(), bar.close(), -bar.volume(), bar.vwap(), bar.trades(), bar.provider());
            case MISALIGNED_START -> new Bar(bar.symbol(), bar.timeframe(), bar.ts().plusSeconds(7), bar.open(),
                    bar.high(), bar.low(), bar.close(), bar.volume(), bar.vwap(), bar.trades(), bar.provider());
            case MALFORMED_SYMBOL -> new Bar(bar.symbol().toLowerCase() + " X", bar.timeframe(), bar.ts(),
                    bar.open(), bar.high(), bar.low(), bar.close(), bar.volume(), bar.vwap(), bar.trades(),
                    bar.provider());
        };
    }

    private static double cents(double price) {
        return Math.round(price * 100) / 100.0;
    }

    /** A uniform double in [0, 1) from the top 53 bits of a hash. */
    private static double unit(long hash) {
        return (hash >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64 finalizer over the inputs: cheap, stateless, and well spread. */
    private static long mix(long seed, long a, long b, long c) {
        long z = seed + 0x9E3779B97F4A7C15L * (a + 1) + 0xC2B2AE3D27D4EB4FL * (b + 2) + 0x165667B19E3779F9L * (c + 3);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
