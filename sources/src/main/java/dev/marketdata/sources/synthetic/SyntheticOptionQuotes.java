package dev.marketdata.sources.synthetic;

import static dev.marketdata.sources.synthetic.Hashing.below;
import static dev.marketdata.sources.synthetic.Hashing.mix;
import static dev.marketdata.sources.synthetic.Hashing.round;
import static dev.marketdata.sources.synthetic.Hashing.unit;
import static dev.marketdata.sources.synthetic.SyntheticBars.cents;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.model.OptionQuote;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.List;

/**
 * Option chains around each symbol's price: every step, for the next weekly and the following monthly expiration,
 * calls and puts at the five strikes nearest the bar's close, priced with Black-Scholes (smile and all) and quoted
 * with a spread, greeks included.
 */
public final class SyntheticOptionQuotes implements SyntheticGenerator<OptionQuote> {

    private static final long serialVersionUID = 1L;

    /** US options expire and are quoted on New York dates. */
    public static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    static final int EXPIRATIONS = 2;
    static final int STRIKES = 5;
    static final int SLOTS = EXPIRATIONS * STRIKES * 2;
    static final double RATE = 0.04;
    private static final LocalTime EXPIRY_TIME = LocalTime.of(16, 0);
    private static final double SECONDS_PER_YEAR = 365.0 * 86_400;
    private static final DateTimeFormatter YYMMDD = DateTimeFormatter.ofPattern("yyMMdd");

    private final SyntheticSpec spec;

    public SyntheticOptionQuotes(SyntheticSpec spec) {
        this.spec = spec;
    }

    @Override
    public int slotsPerStep() {
        return SLOTS;
    }

    /** The OCC root of a synthetic underlying: OCC roots have at most six characters, {@code SYN0042} has seven. */
    public static String root(int symbolIndex) {
        return "S" + SyntheticBars.zeroPadded(symbolIndex, 4);
    }

    /** The OSI contract symbol, e.g. {@code S0042240112C00250000}. */
    public static String contract(String root, LocalDate expiration, String right, double strike) {
        return root
                + YYMMDD.format(expiration)
                + (OptionQuote.CALL.equals(right) ? 'C' : 'P')
                + SyntheticBars.zeroPadded(Math.round(strike * 1000), 8);
    }

    /** The weekly expiration at least a week after {@code today}, and the monthly (third Friday) after it. */
    static LocalDate[] expirations(LocalDate today) {
        LocalDate weekly = today.plusDays(7).with(TemporalAdjusters.nextOrSame(DayOfWeek.FRIDAY));
        LocalDate monthly = weekly.plusMonths(1).with(TemporalAdjusters.dayOfWeekInMonth(3, DayOfWeek.FRIDAY));
        return new LocalDate[] {weekly, monthly};
    }

    static double strikeIncrement(double price) {
        return price < 25 ? 0.5 : price < 100 ? 1 : price < 250 ? 2.5 : 5;
    }

    @Override
    public void generate(int symbolIndex, long step, Bar bar, List<OptionQuote> out) {
        double spot = bar.close();
        LocalDate today = bar.ts().atZone(NEW_YORK).toLocalDate();
        double increment = strikeIncrement(spot);
        double atTheMoney = Math.round(spot / increment) * increment;
        double baseVolatility = 0.2 + 0.4 * unit(mix(spec.seed(), symbolIndex, -2, 7));
        int slot = 0;
        for (LocalDate expiration : expirations(today)) {
            double years = Duration.between(
                                    bar.ts(),
                                    expiration
                                            .atTime(EXPIRY_TIME)
                                            .atZone(NEW_YORK)
                                            .toInstant())
                            .toSeconds()
                    / SECONDS_PER_YEAR;
            for (int k = -STRIKES / 2; k <= STRIKES / 2; k++) {
                double strike = round(atTheMoney + k * increment, 3);
                for (String right : new String[] {OptionQuote.CALL, OptionQuote.PUT}) {
                    long position = SyntheticGenerator.position(spec, SLOTS, symbolIndex, step, slot);
                    slot++;
                    if (strike <= 0) {
                        continue; // a penny stock's chain has fewer strikes below the money
                    }
                    long h = mix(spec.seed() ^ 0x0A11CE, position, symbolIndex, step);
                    OptionQuote quote =
                            quote(symbolIndex, bar, expiration, strike, right, spot, years, baseVolatility, h);
                    long ordinal = spec.invalidOrdinal(position);
                    out.add(ordinal > 0 ? corrupt(quote, OptionCorruption.forInvalidRecord(ordinal), today) : quote);
                }
            }
        }
    }

    private static OptionQuote quote(
            int symbolIndex,
            Bar bar,
            LocalDate expiration,
            double strike,
            String right,
            double spot,
            double years,
            double baseVolatility,
            long h) {
        double moneyness = StrictMath.log(strike / spot);
        double volatility = round(baseVolatility + 0.5 * moneyness * moneyness + 0.01 * (unit(h) - 0.5), 4);
        BlackScholes bs = new BlackScholes(spot, strike, years, RATE, volatility, OptionQuote.CALL.equals(right));
        double mid = Math.max(0.01, cents(bs.price()));
        h = mix(h, 1, 0, 0);
        double halfSpread = Math.max(0.01, cents(mid * (0.005 + 0.01 * unit(h))));
        double bid = Math.max(0, cents(mid - halfSpread));
        double ask = cents(mid + halfSpread);
        h = mix(h, 2, 0, 0);
        Double last =
                unit(h) < 0.2 ? null : Math.max(0.01, cents(mid + (unit(mix(h, 3, 0, 0)) - 0.5) * 2 * halfSpread));
        h = mix(h, 4, 0, 0);
        long bidSize = 1 + below(h, 200);
        h = mix(h, 5, 0, 0);
        long askSize = 1 + below(h, 200);
        h = mix(h, 6, 0, 0);
        long volume = below(h, 5000);
        h = mix(h, 7, 0, 0);
        long openInterest = below(h, 20_000);
        return new OptionQuote(
                contract(root(symbolIndex), expiration, right, strike),
                bar.symbol(),
                expiration,
                strike,
                right,
                bid,
                ask,
                last,
                bidSize,
                askSize,
                volume,
                openInterest,
                volatility,
                round(bs.delta(), 4),
                round(bs.gamma(), 6),
                round(bs.thetaPerDay(), 4),
                round(bs.vegaPerPoint(), 4),
                round(bs.rhoPerPoint(), 4),
                bar.ts(),
                SyntheticBars.PROVIDER);
    }

    /** {@code q} spoiled in the given way; {@code today} is the quote's New York date. */
    public static OptionQuote corrupt(OptionQuote q, OptionCorruption corruption, LocalDate today) {
        return switch (corruption) {
            case BID_ABOVE_ASK -> with(q, q.contract(), q.expiration(), q.strike(), cents(q.ask() + 0.05), q.delta());
            case NEGATIVE_STRIKE -> with(q, q.contract(), q.expiration(), -q.strike(), q.bid(), q.delta());
            case MALFORMED_CONTRACT ->
                with(q, q.contract().toLowerCase(), q.expiration(), q.strike(), q.bid(), q.delta());
            case EXPIRED -> {
                LocalDate expired = today.minusDays(3);
                String root = q.contract().substring(0, q.contract().length() - 15);
                yield with(
                        q,
                        contract(root, expired, q.optionRight(), q.strike()),
                        expired,
                        q.strike(),
                        q.bid(),
                        q.delta());
            }
            case DELTA_OUT_OF_RANGE ->
                with(
                        q,
                        q.contract(),
                        q.expiration(),
                        q.strike(),
                        q.bid(),
                        OptionQuote.CALL.equals(q.optionRight()) ? 1.5 : -1.5);
        };
    }

    private static OptionQuote with(
            OptionQuote q, String contract, LocalDate expiration, double strike, double bid, Double delta) {
        return new OptionQuote(
                contract,
                q.underlying(),
                expiration,
                strike,
                q.optionRight(),
                bid,
                q.ask(),
                q.last(),
                q.bidSize(),
                q.askSize(),
                q.volume(),
                q.openInterest(),
                q.impliedVolatility(),
                delta,
                q.gamma(),
                q.theta(),
                q.vega(),
                q.rho(),
                q.ts(),
                q.provider());
    }

    /** European option price and greeks (no dividends). StrictMath keeps the numbers identical on every JVM. */
    record BlackScholes(double spot, double strike, double years, double rate, double volatility, boolean call) {

        private double d1() {
            return (StrictMath.log(spot / strike) + (rate + volatility * volatility / 2) * years)
                    / (volatility * StrictMath.sqrt(years));
        }

        private double d2() {
            return d1() - volatility * StrictMath.sqrt(years);
        }

        private double discount() {
            return StrictMath.exp(-rate * years);
        }

        double price() {
            return call
                    ? spot * cdf(d1()) - strike * discount() * cdf(d2())
                    : strike * discount() * cdf(-d2()) - spot * cdf(-d1());
        }

        double delta() {
            return call ? cdf(d1()) : cdf(d1()) - 1;
        }

        double gamma() {
            return pdf(d1()) / (spot * volatility * StrictMath.sqrt(years));
        }

        double thetaPerDay() {
            double decay = -spot * pdf(d1()) * volatility / (2 * StrictMath.sqrt(years));
            double carry = call ? -rate * strike * discount() * cdf(d2()) : rate * strike * discount() * cdf(-d2());
            return (decay + carry) / 365;
        }

        double vegaPerPoint() {
            return spot * pdf(d1()) * StrictMath.sqrt(years) / 100;
        }

        double rhoPerPoint() {
            return (call ? 1 : -1) * strike * years * discount() * cdf(call ? d2() : -d2()) / 100;
        }

        static double pdf(double x) {
            return StrictMath.exp(-x * x / 2) / StrictMath.sqrt(2 * StrictMath.PI);
        }

        /** Standard normal CDF (Abramowitz and Stegun 26.2.17, error below 7.5e-8). */
        static double cdf(double x) {
            if (x < 0) {
                return 1 - cdf(-x);
            }
            double t = 1 / (1 + 0.2316419 * x);
            double poly =
                    t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
            return 1 - pdf(x) * poly;
        }
    }
}
