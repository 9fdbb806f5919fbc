package dev.marketdata.job.validate;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.model.Timeframe;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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
     * Bars counted from a session open start on that open plus whole bars. Session opens are on 5-minute marks of
     * local time (New York 09:30, Mumbai 09:15, Moscow's morning session 06:50 and evening trading 19:05, per
     * moex.com) and every UTC offset in use is a multiple of 15 minutes, so such a bar starts on a multiple of
     * gcd(timeframe, 5 minutes) since the epoch, as does any bar counted from UTC midnight. Whatever starts between
     * those marks (seconds on a minute bar, 14:37 on an hourly one) was stamped by something other than a bar clock.
     */
    static final long SESSION_ANCHOR_SECONDS = 300;

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
        String symbolProblem = Symbols.problem(bar.symbol());
        if (symbolProblem != null) {
            return violation(Reason.MALFORMED_SYMBOL, "symbol '" + bar.symbol() + "' " + symbolProblem);
        }
        Optional<Duration> length = Timeframe.parse(bar.timeframe());
        if (length.isEmpty()) {
            return violation(
                    Reason.UNKNOWN_TIMEFRAME, "timeframe '" + bar.timeframe() + "' is not like 1m, 5m, 1h, 1d");
        }
        long grid = startGridSeconds(length.get());
        if (bar.ts().getNano() != 0 || Math.floorMod(bar.ts().getEpochSecond(), grid) != 0) {
            return violation(
                    Reason.MISALIGNED_START,
                    "ts " + bar.ts() + " of a " + bar.timeframe()
                            + " bar is not on a multiple of "
                            + Duration.ofSeconds(grid).toString().substring(2).toLowerCase(Locale.ROOT)
                            + " (the bar's length counted from UTC midnight or from a session open on a 5-minute mark)");
        }
        if (!positive(bar.open()) || !positive(bar.high()) || !positive(bar.low()) || !positive(bar.close())) {
            return violation(
                    Reason.NON_POSITIVE_PRICE,
                    String.format(
                            "prices must be finite and positive: open %s high %s low %s close %s",
                            bar.open(), bar.high(), bar.low(), bar.close()));
        }
        if (bar.high() < bar.low()) {
            return violation(Reason.HIGH_BELOW_LOW, "high " + bar.high() + " < low " + bar.low());
        }
        if (bar.high() < Math.max(bar.open(), bar.close())) {
            return violation(
                    Reason.HIGH_BELOW_OPEN_CLOSE,
                    "high " + bar.high() + " < max(open " + bar.open() + ", close " + bar.close() + ")");
        }
        if (bar.low() > Math.min(bar.open(), bar.close())) {
            return violation(
                    Reason.LOW_ABOVE_OPEN_CLOSE,
                    "low " + bar.low() + " > min(open " + bar.open() + ", close " + bar.close() + ")");
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
        String text = firstNonNull(
                StoredDomain.textProblem("symbol", bar.symbol()),
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

    /**
     * The grid every bar of this length starts on, in seconds: gcd(length, {@link #SESSION_ANCHOR_SECONDS}), e.g.
     * 60 for 1m, 300 for 5m, 10m, 1h and 1d, 15 for 45s, 1 for 1s.
     */
    static long startGridSeconds(Duration length) {
        long a = Math.max(1, length.getSeconds());
        long b = SESSION_ANCHOR_SECONDS;
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    @Override
    public Bar canonical(Bar bar) {
        String symbol = Symbols.canonical(bar.symbol());
        return symbol.equals(bar.symbol())
                ? bar
                : new Bar(
                        symbol,
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
