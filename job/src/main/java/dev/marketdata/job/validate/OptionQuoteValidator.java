package dev.marketdata.job.validate;

import dev.marketdata.sources.model.OccContract;
import dev.marketdata.sources.model.OptionQuote;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The rules an option quote must meet to be stored; each broken rule has its own reason code. */
public final class OptionQuoteValidator implements Validator<OptionQuote> {

    private static final long serialVersionUID = 1L;

    /** Reason codes, in the order the rules are checked. */
    public enum Reason {
        MISSING_FIELD,
        TIME_OUT_OF_RANGE,
        MALFORMED_SYMBOL,
        MALFORMED_CONTRACT,
        UNKNOWN_RIGHT,
        NON_POSITIVE_STRIKE,
        CONTRACT_MISMATCH,
        QUOTE_AFTER_EXPIRATION,
        NEGATIVE_PRICE,
        BID_ABOVE_ASK,
        NEGATIVE_SIZE,
        INVALID_IMPLIED_VOLATILITY,
        INVALID_GREEK,
        UNSTORABLE_TEXT,
        KEY_TOO_LONG
    }

    /** Options expire on New York dates. */
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static final List<String> REASONS =
            Arrays.stream(Reason.values()).map(Enum::name).toList();

    @Override
    public List<String> reasons() {
        return REASONS;
    }

    @Override
    public Violation check(OptionQuote q) {
        if (q.contract() == null
                || q.underlying() == null
                || q.expiration() == null
                || q.optionRight() == null
                || q.ts() == null
                || q.provider() == null) {
            return violation(
                    Reason.MISSING_FIELD,
                    "contract, underlying, expiration, option_right, ts and provider are required");
        }
        String time = BarValidator.firstNonNull(
                StoredDomain.timeProblem("ts", q.ts()), StoredDomain.dateProblem("expiration", q.expiration()));
        if (time != null) {
            return violation(Reason.TIME_OUT_OF_RANGE, time);
        }
        String underlyingProblem = Symbols.problem(q.underlying());
        if (underlyingProblem != null) {
            return violation(Reason.MALFORMED_SYMBOL, "underlying '" + q.underlying() + "' " + underlyingProblem);
        }
        Optional<OccContract> parsed = OccContract.parse(q.contract());
        if (parsed.isEmpty()) {
            return violation(
                    Reason.MALFORMED_CONTRACT,
                    "contract '" + q.contract() + "' is not an OCC symbol like "
                            + "AAPL240315C00180000, AAPL  240315C00180000 or O:AAPL240315C00180000 (root of 1-6 upper-case "
                            + "letters and digits, a real YYMMDD date, C or P, strike x 1000 in 8 digits)");
        }
        OccContract contract = parsed.get();
        if (!OptionQuote.CALL.equals(q.optionRight()) && !OptionQuote.PUT.equals(q.optionRight())) {
            return violation(Reason.UNKNOWN_RIGHT, "option_right must be call or put, got '" + q.optionRight() + "'");
        }
        if (!(q.strike() > 0) || Double.isInfinite(q.strike())) {
            return violation(Reason.NON_POSITIVE_STRIKE, "strike must be finite and positive, got " + q.strike());
        }
        String contractRight = contract.call() ? OptionQuote.CALL : OptionQuote.PUT;
        boolean sameExpiration =
                contract.expiration().equals(q.expiration()) || contract.expiresOnSaturdayAfter(q.expiration());
        if (!sameExpiration
                || !contractRight.equals(q.optionRight())
                || Math.round(q.strike() * 1000) != contract.strikeThousandths()) {
            return violation(
                    Reason.CONTRACT_MISMATCH,
                    String.format(
                            "contract %s says %s %s %s, the fields say %s %s %s",
                            q.contract(),
                            contract.expiration(),
                            contractRight,
                            contract.strikeThousandths() / 1000.0,
                            q.expiration(),
                            q.optionRight(),
                            q.strike()));
        }
        LocalDate quoteDate = q.ts().atZone(NEW_YORK).toLocalDate();
        if (quoteDate.isAfter(q.expiration())) {
            return violation(
                    Reason.QUOTE_AFTER_EXPIRATION,
                    "quoted on " + quoteDate + " (New York) after expiring on " + q.expiration());
        }
        if (!nonNegative(q.bid()) || !nonNegative(q.ask()) || (q.last() != null && !nonNegative(q.last()))) {
            return violation(
                    Reason.NEGATIVE_PRICE,
                    String.format(
                            "bid, ask and last must be finite and >= 0: bid %s ask %s last %s",
                            q.bid(), q.ask(), q.last()));
        }
        if (q.bid() > q.ask()) {
            return violation(Reason.BID_ABOVE_ASK, "bid " + q.bid() + " > ask " + q.ask());
        }
        if (negative(q.bidSize()) || negative(q.askSize()) || negative(q.volume()) || negative(q.openInterest())) {
            return violation(
                    Reason.NEGATIVE_SIZE,
                    String.format(
                            "sizes, volume and open interest must be >= 0: bid_size %s ask_size %s volume %s open_interest %s",
                            q.bidSize(), q.askSize(), q.volume(), q.openInterest()));
        }
        if (q.impliedVolatility() != null && !nonNegative(q.impliedVolatility())) {
            return violation(
                    Reason.INVALID_IMPLIED_VOLATILITY,
                    "implied_volatility must be finite and >= 0, got " + q.impliedVolatility());
        }
        String greek = greekProblem(q);
        if (greek != null) {
            return violation(Reason.INVALID_GREEK, greek);
        }
        String text = BarValidator.firstNonNull(
                StoredDomain.textProblem("contract", q.contract()),
                StoredDomain.textProblem("underlying", q.underlying()),
                StoredDomain.textProblem("option_right", q.optionRight()),
                StoredDomain.textProblem("provider", q.provider()));
        if (text != null) {
            return violation(Reason.UNSTORABLE_TEXT, text);
        }
        String key = BarValidator.firstNonNull(
                StoredDomain.keyProblem("(contract)", q.contract()),
                StoredDomain.keyProblem("(underlying)", q.underlying()));
        if (key != null) {
            return violation(Reason.KEY_TOO_LONG, key);
        }
        return null;
    }

    /** {@code q} with its contract and underlying in their canonical spellings ({@link OccContract}, {@link Symbols}). */
    @Override
    public OptionQuote canonical(OptionQuote q) {
        String contract = Symbols.canonical(q.contract());
        String underlying = Symbols.canonical(q.underlying());
        if (contract.equals(q.contract()) && underlying.equals(q.underlying())) {
            return q;
        }
        return new OptionQuote(
                contract,
                underlying,
                q.expiration(),
                q.strike(),
                q.optionRight(),
                q.bid(),
                q.ask(),
                q.last(),
                q.bidSize(),
                q.askSize(),
                q.volume(),
                q.openInterest(),
                q.impliedVolatility(),
                q.delta(),
                q.gamma(),
                q.theta(),
                q.vega(),
                q.rho(),
                q.ts(),
                q.provider());
    }

    /** Greeks are optional; present ones must be finite, delta on the right's side of 0 and within 1. */
    private static String greekProblem(OptionQuote q) {
        for (Double greek : new Double[] {q.delta(), q.gamma(), q.theta(), q.vega(), q.rho()}) {
            if (greek != null && !Double.isFinite(greek)) {
                return String.format(
                        "greeks must be finite: delta %s gamma %s theta %s vega %s rho %s",
                        q.delta(), q.gamma(), q.theta(), q.vega(), q.rho());
            }
        }
        if (q.delta() != null) {
            boolean call = OptionQuote.CALL.equals(q.optionRight());
            if (call ? q.delta() < 0 || q.delta() > 1 : q.delta() < -1 || q.delta() > 0) {
                return "delta of a " + q.optionRight() + " must be in " + (call ? "[0, 1]" : "[-1, 0]") + ", got "
                        + q.delta();
            }
        }
        if (q.gamma() != null && q.gamma() < 0) {
            return "gamma must be >= 0, got " + q.gamma();
        }
        if (q.vega() != null && q.vega() < 0) {
            return "vega must be >= 0, got " + q.vega();
        }
        return null;
    }

    private static boolean nonNegative(double value) {
        return value >= 0 && Double.isFinite(value);
    }

    private static boolean negative(Long value) {
        return value != null && value < 0;
    }

    private static Violation violation(Reason reason, String message) {
        return new Violation(reason.name(), message);
    }
}
