package dev.marketdata.job.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marketdata.job.json.OptionQuoteJson;
import dev.marketdata.job.testing.Samples;
import dev.marketdata.job.validate.OptionQuoteValidator.Reason;
import dev.marketdata.sources.model.OptionQuote;
import java.time.Instant;
import java.time.LocalDate;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class OptionQuoteValidatorTest {

    private final OptionQuoteValidator validator = new OptionQuoteValidator();

    private static OptionQuote quote(Consumer<ObjectNode> change) {
        return Samples.read(new OptionQuoteJson(), Samples.OPTION_QUOTE, change);
    }

    private static OptionQuote put(Consumer<ObjectNode> change) {
        return quote(n -> {
            n.put("contract", "AAPL240315P00180000").put("option_right", "put").put("delta", -0.4588);
            change.accept(n);
        });
    }

    @Test
    void acceptsTheDocumentedQuote() {
        assertThat(validator.check(quote(n -> {}))).isNull();
    }

    @Test
    void acceptsAQuoteWithoutAnyOptionalField() {
        OptionQuote bare = quote(
                n -> n.retain("contract", "underlying", "expiration", "strike", "option_right", "bid", "ask", "ts"));
        assertThat(bare.last()).isNull();
        assertThat(bare.delta()).isNull();
        assertThat(validator.check(bare)).isNull();
    }

    static Stream<Arguments> acceptedQuotes() {
        return Stream.of(
                Arguments.of("Polygon's spelling", quote(n -> n.put("contract", "O:AAPL240315C00180000"))),
                Arguments.of(
                        "the 21-character OCC form, root padded to six",
                        quote(n -> n.put("contract", "AAPL  240315C00180000"))),
                Arguments.of("a six-character root", quote(n -> n.put("contract", "GOOGL1240315C00180000")
                        .put("underlying", "GOOGL"))),
                Arguments.of(
                        "a root that is not the underlying (adjusted option)",
                        quote(n -> n.put("contract", "BRKB240315C00180000").put("underlying", "BRK.B"))),
                Arguments.of("a put with negative delta", put(n -> {})),
                Arguments.of("a fractional strike", quote(n -> n.put("contract", "AAPL240315C00182500")
                        .put("strike", 182.5))),
                Arguments.of("no bid (0)", quote(n -> n.put("bid", 0.0))),
                Arguments.of("a locked market (bid = ask)", quote(n -> n.put("bid", 4.45))),
                Arguments.of(
                        "quoted on its expiration day, late in New York",
                        quote(n -> n.put("ts", "2024-03-15T23:59:00Z"))),
                Arguments.of("a call's delta at 1", quote(n -> n.put("delta", 1.0))),
                Arguments.of("a put's delta at -1", put(n -> n.put("delta", -1.0))),
                Arguments.of(
                        "zero sizes and volume", quote(n -> n.put("bid_size", 0).put("volume", 0))),
                Arguments.of(
                        "negative theta and rho", put(n -> n.put("theta", -0.5).put("rho", -0.2))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedQuotes")
    void accepts(String what, OptionQuote quote) {
        assertThat(validator.check(quote)).isNull();
    }

    static Stream<Arguments> brokenQuotes() {
        OptionQuote sample = quote(n -> {});
        return Stream.of(
                Arguments.of(
                        new OptionQuote(
                                null,
                                "AAPL",
                                LocalDate.of(2024, 3, 15),
                                180,
                                "call",
                                1,
                                2,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                sample.ts(),
                                "p"),
                        Reason.MISSING_FIELD),
                Arguments.of(
                        new OptionQuote(
                                sample.contract(),
                                "AAPL",
                                null,
                                180,
                                "call",
                                1,
                                2,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                sample.ts(),
                                "p"),
                        Reason.MISSING_FIELD),
                Arguments.of(
                        new OptionQuote(
                                sample.contract(),
                                "AAPL",
                                sample.expiration(),
                                180,
                                "call",
                                1,
                                2,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                "p"),
                        Reason.MISSING_FIELD),
                Arguments.of(quote(n -> n.put("underlying", "aapl")), Reason.MALFORMED_SYMBOL),
                Arguments.of(quote(n -> n.put("contract", "aapl240315c00180000")), Reason.MALFORMED_CONTRACT),
                Arguments.of(quote(n -> n.put("contract", "o:AAPL240315C00180000")), Reason.MALFORMED_CONTRACT),
                Arguments.of(quote(n -> n.put("contract", "O:AAPL  240315C00180000")), Reason.MALFORMED_CONTRACT),
                Arguments.of(quote(n -> n.put("contract", "AAPL240315X00180000")), Reason.MALFORMED_CONTRACT),
                Arguments.of(quote(n -> n.put("contract", "AAPL240315C0018000")), Reason.MALFORMED_CONTRACT),
                Arguments.of(quote(n -> n.put("contract", "AAPL 240315C00180000")), Reason.MALFORMED_CONTRACT),
                Arguments.of(quote(n -> n.put("contract", "AAPL240231C00180000")), Reason.MALFORMED_CONTRACT),
                Arguments.of(quote(n -> n.put("option_right", "C")), Reason.UNKNOWN_RIGHT),
                Arguments.of(quote(n -> n.put("option_right", "CALL")), Reason.UNKNOWN_RIGHT),
                Arguments.of(quote(n -> n.put("strike", 0.0)), Reason.NON_POSITIVE_STRIKE),
                Arguments.of(quote(n -> n.put("strike", -180.0)), Reason.NON_POSITIVE_STRIKE),
                Arguments.of(quote(n -> n.put("strike", 185.0)), Reason.CONTRACT_MISMATCH),
                Arguments.of(quote(n -> n.put("expiration", "2024-03-22")), Reason.CONTRACT_MISMATCH),
                Arguments.of(quote(n -> n.put("option_right", "put")), Reason.CONTRACT_MISMATCH),
                Arguments.of(quote(n -> n.put("ts", "2024-03-16T14:30:00Z")), Reason.QUOTE_AFTER_EXPIRATION),
                Arguments.of(quote(n -> n.put("bid", -0.01)), Reason.NEGATIVE_PRICE),
                Arguments.of(quote(n -> n.put("ask", -1.0).put("bid", -2.0)), Reason.NEGATIVE_PRICE),
                Arguments.of(quote(n -> n.put("last", -4.4)), Reason.NEGATIVE_PRICE),
                Arguments.of(quote(n -> n.put("bid", 4.46)), Reason.BID_ABOVE_ASK),
                Arguments.of(quote(n -> n.put("bid_size", -1)), Reason.NEGATIVE_SIZE),
                Arguments.of(quote(n -> n.put("ask_size", -1)), Reason.NEGATIVE_SIZE),
                Arguments.of(quote(n -> n.put("volume", -1)), Reason.NEGATIVE_SIZE),
                Arguments.of(quote(n -> n.put("open_interest", -1)), Reason.NEGATIVE_SIZE),
                Arguments.of(quote(n -> n.put("implied_volatility", -0.1)), Reason.INVALID_IMPLIED_VOLATILITY),
                Arguments.of(
                        quote(n -> n.put("implied_volatility", Double.POSITIVE_INFINITY)),
                        Reason.INVALID_IMPLIED_VOLATILITY),
                Arguments.of(quote(n -> n.put("delta", 1.2)), Reason.INVALID_GREEK),
                Arguments.of(quote(n -> n.put("delta", -0.3)), Reason.INVALID_GREEK),
                Arguments.of(put(n -> n.put("delta", 0.3)), Reason.INVALID_GREEK),
                Arguments.of(put(n -> n.put("delta", -1.01)), Reason.INVALID_GREEK),
                Arguments.of(quote(n -> n.put("gamma", -0.01)), Reason.INVALID_GREEK),
                Arguments.of(quote(n -> n.put("vega", -0.01)), Reason.INVALID_GREEK),
                Arguments.of(quote(n -> n.put("theta", Double.NaN)), Reason.INVALID_GREEK));
    }

    @ParameterizedTest
    @MethodSource("brokenQuotes")
    void rejectsEachBrokenRuleWithItsReason(OptionQuote quote, Reason expected) {
        Violation violation = validator.check(quote);
        assertThat(violation).as(String.valueOf(quote)).isNotNull();
        assertThat(violation.reason()).isEqualTo(expected.name());
        assertThat(violation.message()).isNotBlank();
    }

    @Test
    void theExpirationDayIsANewYorkDay() {
        // 04:30 UTC on the 16th is 23:30 on the 15th in New York (EDT): still the expiration day.
        assertThat(validator.check(quote(n -> n.put("ts", "2024-03-16T03:30:00Z"))))
                .isNull();
        assertThat(validator
                        .check(quote(n -> n.put("ts", "2024-03-16T04:00:00Z")))
                        .reason())
                .isEqualTo(Reason.QUOTE_AFTER_EXPIRATION.name());
        assertThat(Instant.parse("2024-03-16T04:00:00Z")
                        .atZone(OptionQuoteValidator.NEW_YORK)
                        .toLocalDate())
                .isEqualTo(LocalDate.of(2024, 3, 16));
    }

    @Test
    void saysWhatTheContractAndTheFieldsDisagreeOn() {
        assertThat(validator.check(quote(n -> n.put("strike", 185.0))).message())
                .isEqualTo(
                        "contract AAPL240315C00180000 says 2024-03-15 call 180.0, the fields say 2024-03-15 call 185.0");
    }

    private static OptionQuote pre2015(String contract, String expiration, String ts) {
        return quote(n -> n.put("contract", contract)
                .put("expiration", expiration)
                .put("ts", ts)
                .put("strike", 550.0));
    }

    @Test
    void acceptsPre2015SymbolsCarryingTheSaturdayAfterTheLastTradingDay() {
        // January 2014 options traded until Friday the 17th; their OCC symbol carries Saturday the 18th.
        assertThat(validator.check(pre2015("AAPL140118C00550000", "2014-01-17", "2014-01-17T20:59:00Z")))
                .isNull();
        // April 2014: Good Friday (the 18th) closed the exchanges, so they traded until Thursday the 17th.
        assertThat(validator.check(pre2015("AAPL140419C00550000", "2014-04-17", "2014-04-17T19:59:00Z")))
                .isNull();
        // A provider that gives the symbol's Saturday as the expiration agrees with the symbol anyway.
        assertThat(validator.check(pre2015("AAPL140118C00550000", "2014-01-18", "2014-01-17T20:59:00Z")))
                .isNull();
    }

    @Test
    void stillRefusesASaturdayOneDayOffOutsideThatConvention() {
        // From February 2015 the symbol carries the Friday: a Saturday date is another contract's.
        assertThat(validator
                        .check(pre2015("SPY150221C00550000", "2015-02-20", "2015-02-20T20:59:00Z"))
                        .reason())
                .isEqualTo(Reason.CONTRACT_MISMATCH.name());
        // Weeklies always carried their Friday.
        assertThat(validator
                        .check(pre2015("AAPL140125C00550000", "2014-01-24", "2014-01-24T20:59:00Z"))
                        .reason())
                .isEqualTo(Reason.CONTRACT_MISMATCH.name());
        // And the quote after the last trading day is still after expiration.
        assertThat(validator
                        .check(pre2015("AAPL140118C00550000", "2014-01-17", "2014-01-18T15:00:00Z"))
                        .reason())
                .isEqualTo(Reason.QUOTE_AFTER_EXPIRATION.name());
    }

    @Test
    void storesTheContractInItsCompactSpellingAndTheCanonicalUnderlying() {
        OptionQuote compact = quote(n -> {});
        for (String spelling : new String[] {"O:AAPL240315C00180000", "AAPL  240315C00180000"}) {
            OptionQuote other = quote(n -> n.put("contract", spelling));
            assertThat(validator.check(other)).isNull();
            assertThat(validator.canonical(other)).isEqualTo(compact);
        }
        assertThat(validator.canonical(compact)).isSameAs(compact);
        OptionQuote ibkr = quote(n -> n.put("contract", "BRKB  240315C00180000").put("underlying", "BRK B"));
        assertThat(validator.canonical(ibkr))
                .isEqualTo(quote(n -> n.put("contract", "BRKB240315C00180000").put("underlying", "BRK.B")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"A", "SPY", "QQQ", "X:BTCUSD", "^SPX", "I:SPX", "BRK B", "M&M.NS"})
    void acceptsUnderlyingSymbols(String underlying) {
        assertThat(validator.check(quote(n -> n.put("underlying", underlying)))).isNull();
    }

    @Test
    void listsEveryReason() {
        assertThat(validator.reasons()).hasSize(Reason.values().length).contains("BID_ABOVE_ASK");
    }
}
