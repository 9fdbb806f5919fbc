package dev.marketdata.job.validate;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.model.Timeframe;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The rules an OHLCV bar must meet to be stored; each broken rule has its own reason code. */
public final class BarValidator implements Validator<Bar> {

    private static final long serialVersionUID = 1L;

    /** Reason codes, in the order the rules are checked. */
    public enum Reason {
        MISSING_FIELD,
        TIME_OUT_OF_RANGE,
        MALFORMED_SYMBOL,
        UNKNOWN_TIMEFRAME,
        MISALIGNED_START,
        NON_POSITIVE_PRICE,
        HIGH_BELOW_LOW,
        HIGH_BELOW_OPEN_CLOSE,
        LOW_ABOVE_OPEN_CLOSE,
        NEGATIVE_VOLUME,
        INVALID_VWAP,
        NEGATIVE_TRADES,
        UNSTORABLE_TEXT,
        KEY_TOO_LONG
    }

    /**
     * Upper-case letters, digits and the punctuation providers use in tickers ({@code BRK.B}, {@code BTC-USD},
     * {@code X:BTCUSD}, {@code ^GSPC}); 1 to 32 characters.
     */
    static final Pattern SYMBOL = Pattern.compile("[A-Z0-9^][A-Z0-9.\\-/:=^]{0,31}");

    private static final List<String> REASONS =
            Arrays.stream(Reason.values()).map(Enum::name).toList();

    @Override
    public List<String> reasons() {
        return REASONS;
    }

    @Override
    public Violation check(Bar bar) {
        if (bar.symbol() == null || bar.timeframe() == null || bar.ts() == null || bar.provider() == null) {
            return violation(Reason.MISSING_FIELD, "symbol, timeframe, ts and provider are required");
        }
        String time = StoredDomain.timeProblem("ts", bar.ts());
        if (time != null) {
            return violation(Reason.TIME_OUT_OF_RANGE, time);
        }
        if (!SYMBOL.matcher(bar.symbol()).matches()) {
            return violation(Reason.MALFORMED_SYMBOL, "symbol '" + bar.symbol() + "' is not of the form " + SYMBOL);
        }
        Optional<Duration> length = Timeframe.parse(bar.timeframe());
        if (length.isEmpty()) {
            return violation(Reason.UNKNOWN_TIMEFRAME, "timeframe '" + bar.timeframe() + "' is not like 1m, 5m, 1h, 1d");
        }
        if (Timeframe.isIntraday(length.get()) && !alignedTo(bar, length.get())) {
            return violation(Reason.MISALIGNED_START, "ts " + bar.ts() + " is not a multiple of " + bar.timeframe());
        }
        if (!positive(bar.open()) || !positive(bar.high()) || !positive(bar.low()) || !positive(bar.close())) {
            return violation(Reason.NON_POSITIVE_PRICE, String.format(
                    "prices must be finite and positive: open %s high %s low %s close %s",
                    bar.open(), bar.high(), bar.low(), bar.close()));
        }
        if (bar.high() < bar.low()) {
            return violation(Reason.HIGH_BELOW_LOW, "high " + bar.high() + " < low " + bar.low());
        }
        if (bar.high() < Math.max(bar.open(), bar.close())) {
            return violation(Reason.HIGH_BELOW_OPEN_CLOSE, "high " + bar.high() + " < max(open " + bar.open()
                    + ", close " + bar.close() + ")");
        }
        if (bar.low() > Math.min(bar.open(), bar.close())) {
            return violation(Reason.LOW_ABOVE_OPEN_CLOSE, "low " + bar.low() + " > min(open " + bar.open()
                    + ", close " + bar.close() + ")");
        }
        if (!(bar.volume() >= 0) || Double.isInfinite(bar.volume())) {
            return violation(Reason.NEGATIVE_VOLUME, "volume must be finite and >= 0, got " + bar.volume());
        }
        if (bar.vwap() != null && !positive(bar.vwap())) {
            return violation(Reason.INVALID_VWAP, "vwap must be finite and positive, got " + bar.vwap());
        }
        if (bar.trades() != null && bar.trades() < 0) {
            return violation(Reason.NEGATIVE_TRADES, "trades must be >= 0, got " + bar.trades());
        }
        String text = firstNonNull(StoredDomain.textProblem("symbol", bar.symbol()),
                StoredDomain.textProblem("timeframe", bar.timeframe()),
                StoredDomain.textProblem("provider", bar.provider()));
        if (text != null) {
            return violation(Reason.UNSTORABLE_TEXT, text);
        }
        String key = StoredDomain.keyProblem("(symbol, timeframe)", bar.symbol(), bar.timeframe());
        if (key != null) {
            return violation(Reason.KEY_TOO_LONG, key);
        }
        return null;
    }

    private static boolean alignedTo(Bar bar, Duration length) {
        return bar.ts().getNano() % 1_000_000 == 0 && bar.ts().toEpochMilli() % length.toMillis() == 0;
    }

    /** The first of {@code problems} that is not null, or null. */
    static String firstNonNull(String... problems) {
        for (String problem : problems) {
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static boolean positive(double price) {
        return price > 0 && Double.isFinite(price);
    }

    private static Violation violation(Reason reason, String message) {
        return new Violation(reason.name(), message);
    }
}
