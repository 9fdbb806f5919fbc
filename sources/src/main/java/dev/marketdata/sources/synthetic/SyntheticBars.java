package dev.marketdata.sources.synthetic;

import static dev.marketdata.sources.synthetic.Hashing.mix;
import static dev.marketdata.sources.synthetic.Hashing.unit;

import dev.marketdata.sources.model.Bar;
import java.time.Instant;
import java.util.List;

/**
 * The synthetic provider's price walk and its bars: a seeded random walk per symbol, so that bar {@code j} of
 * symbol {@code i} depends only on the seed, {@code i}, {@code j} and the previous close. Every other synthetic
 * data set hangs off this walk (option chains around the close, news moved by the return).
 */
public final class SyntheticBars implements SyntheticGenerator<Bar> {

    private static final long serialVersionUID = 1L;

    public static final String PROVIDER = "synthetic";

    private final SyntheticSpec spec;
    /** Every symbol's name, made once rather than per bar (three strings per bar showed in profiles). */
    private final String[] symbols;

    public SyntheticBars(SyntheticSpec spec) {
        this.spec = spec;
        this.symbols = new String[spec.symbols()];
        for (int i = 0; i < symbols.length; i++) {
            symbols[i] = symbol(i);
        }
    }

    public static String symbol(int symbolIndex) {
        return "SYN" + zeroPadded(symbolIndex, 4);
    }

    /** {@code value} in at least {@code width} digits: String.format costs more than a whole bar. */
    static String zeroPadded(long value, int width) {
        String digits = Long.toString(value);
        return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
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
    public BarCorruption corruptionOf(long recordNumber) {
        long ordinal = spec.invalidOrdinal(recordNumber);
        return ordinal > 0 ? BarCorruption.forInvalidRecord(ordinal) : null;
    }

    @Override
    public int slotsPerStep() {
        return 1;
    }

    /** The bar, spoiled when its record number is due to be invalid. */
    @Override
    public void generate(int symbolIndex, long step, Bar bar, List<Bar> out) {
        BarCorruption corruption = corruptionOf(recordNumber(symbolIndex, step));
        out.add(corruption == null ? bar : corrupt(bar, corruption));
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
        Instant ts = spec.timeOf(barIndex);
        return new Bar(
                symbolIndex < symbols.length ? symbols[symbolIndex] : symbol(symbolIndex),
                SyntheticSpec.TIMEFRAME,
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
    public static Bar corrupt(Bar bar, BarCorruption corruption) {
        return switch (corruption) {
            case HIGH_BELOW_LOW ->
                new Bar(
                        bar.symbol(),
                        bar.timeframe(),
                        bar.ts(),
                        bar.open(),
                        bar.low() - 0.01,
                        bar.high() + 0.01,
                        bar.close(),
                        bar.volume(),
                        bar.vwap(),
                        bar.trades(),
                        bar.provider());
            case NEGATIVE_PRICE ->
                new Bar(
                        bar.symbol(),
                        bar.timeframe(),
                        bar.ts(),
                        -bar.open(),
                        bar.high(),
                        bar.low(),
                        bar.close(),
                        bar.volume(),
                        bar.vwap(),
                        bar.trades(),
                        bar.provider());
            case NEGATIVE_VOLUME ->
                new Bar(
                        bar.symbol(),
                        bar.timeframe(),
                        bar.ts(),
                        bar.open(),
                        bar.high(),
                        bar.low(),
                        bar.close(),
                        -bar.volume(),
                        bar.vwap(),
                        bar.trades(),
                        bar.provider());
            case MISALIGNED_START ->
                new Bar(
                        bar.symbol(),
                        bar.timeframe(),
                        bar.ts().plusSeconds(7),
                        bar.open(),
                        bar.high(),
                        bar.low(),
                        bar.close(),
                        bar.volume(),
                        bar.vwap(),
                        bar.trades(),
                        bar.provider());
            case MALFORMED_SYMBOL ->
                new Bar(
                        bar.symbol().toLowerCase() + " X",
                        bar.timeframe(),
                        bar.ts(),
                        bar.open(),
                        bar.high(),
                        bar.low(),
                        bar.close(),
                        bar.volume(),
                        bar.vwap(),
                        bar.trades(),
                        bar.provider());
        };
    }

    static double cents(double price) {
        return Math.round(price * 100) / 100.0;
    }
}
