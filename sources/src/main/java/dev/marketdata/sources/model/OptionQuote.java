package dev.marketdata.sources.model;

import java.time.Instant;
import java.time.LocalDate;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One quote of one listed option contract at one moment: the market (bid, ask, sizes), the day's trading (last,
 * volume, open interest) and, when the provider computes them, implied volatility and greeks.
 *
 * <p>Flink serializes records as POJOs (dates with its built-in serializer, see {@link RecordTypeInfoFactory}), so
 * renaming or retyping a component breaks savepoint compatibility; adding one is allowed.
 *
 * @param contract OCC/OSI contract symbol: root, expiration {@code YYMMDD}, {@code C} or {@code P}, strike times
 *     1000 in 8 digits, e.g. {@code AAPL240315C00180000} (the 21-character form with the root space-padded to 6
 *     characters and Polygon's {@code O:AAPL240315C00180000} are accepted too, and stored in the compact form;
 *     see docs/identifiers.md)
 * @param underlying the underlying's symbol, e.g. {@code AAPL}
 * @param expiration the last trading day
 * @param strike strike price
 * @param optionRight {@code call} or {@code put}
 * @param bid best bid (0 when there is none)
 * @param ask best ask
 * @param last last trade price, or null when the contract has not traded
 * @param bidSize contracts bid at the best bid, or null
 * @param askSize contracts offered at the best ask, or null
 * @param volume contracts traded so far that day, or null
 * @param openInterest open contracts, or null
 * @param impliedVolatility annualized implied volatility (0.25 = 25%), or null
 * @param delta option price change per 1.00 move of the underlying, or null
 * @param gamma delta change per 1.00 move of the underlying, or null
 * @param theta option price change per calendar day, or null
 * @param vega option price change per 1 point (0.01) of volatility, or null
 * @param rho option price change per 1 point (0.01) of the interest rate, or null
 * @param ts when the quote was taken (UTC)
 * @param provider where the quote came from, e.g. {@code polygon} or {@code synthetic}
 */
@TypeInfo(RecordTypeInfoFactory.class)
public record OptionQuote(
        String contract,
        String underlying,
        LocalDate expiration,
        double strike,
        String optionRight,
        double bid,
        double ask,
        Double last,
        Long bidSize,
        Long askSize,
        Long volume,
        Long openInterest,
        Double impliedVolatility,
        Double delta,
        Double gamma,
        Double theta,
        Double vega,
        Double rho,
        Instant ts,
        String provider) {

    public static final String CALL = "call";
    public static final String PUT = "put";
}
