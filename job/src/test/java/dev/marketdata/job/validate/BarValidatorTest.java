package dev.marketdata.job.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.validate.BarValidator.Reason;
import dev.marketdata.sources.model.Bar;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class BarValidatorTest {

    private static final Instant MINUTE = Instant.parse("2024-03-01T14:30:00Z");
    private final BarValidator validator = new BarValidator();

    private static Bar bar(
            String symbol,
            String timeframe,
            Instant ts,
            double o,
            double h,
            double l,
            double c,
            double v,
            Double vwap,
            Long trades) {
        return new Bar(symbol, timeframe, ts, o, h, l, c, v, vwap, trades, "test");
    }

    private static Bar good() {
        return bar("AAPL", "1m", MINUTE, 182.1, 182.5, 181.9, 182.3, 120345, 182.2, 812L);
    }

    @Test
    void acceptsAWellFormedBar() {
        assertThat(validator.check(good())).isNull();
    }

    @Test
    void acceptsBarsWithoutOptionalFields() {
        assertThat(validator.check(bar("AAPL", "1m", MINUTE, 1, 1, 1, 1, 0, null, null)))
                .isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"AAPL", "BRK.B", "BTC-USD", "X:BTCUSD", "^GSPC", "EUR/USD", "7203", "A"})
    void acceptsProviderSymbols(String symbol) {
        assertThat(validator.check(bar(symbol, "1m", MINUTE, 1, 1, 1, 1, 0, null, null)))
                .isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "aapl", "aapl X", " AAPL", "ÄPFEL", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"})
    void rejectsMalformedSymbols(String symbol) {
        assertThat(validator
                        .check(bar(symbol, "1m", MINUTE, 1, 1, 1, 1, 0, null, null))
                        .reason())
                .isEqualTo(Reason.MALFORMED_SYMBOL.name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1s", "1m", "5m", "15m", "1h", "4h", "1d", "1w", "1mo"})
    void acceptsTimeframes(String timeframe) {
        // Midnight UTC is on every timeframe's grid.
        Bar bar = bar("AAPL", timeframe, Instant.parse("2024-03-01T00:00:00Z"), 1, 1, 1, 1, 0, null, null);
        assertThat(validator.check(bar)).isNull();
    }

    @Test
    void acceptsDailyBarsStampedAtExchangeMidnight() {
        // Polygon stamps daily bars at midnight New York time: 05:00 UTC in winter.
        Bar bar = bar("AAPL", "1d", Instant.parse("2020-01-02T05:00:00Z"), 1, 1, 1, 1, 0, null, null);
        assertThat(validator.check(bar)).isNull();
    }

    @ParameterizedTest(name = "{0} bar at {1}")
    @CsvSource({
        "1h, 2024-03-01T14:30:00Z", // New York's open in winter (09:30 EST), as IBKR sends regular-hours bars
        "1h, 2024-03-12T13:30:00Z", // and in summer (09:30 EDT)
        "1h, 2024-03-01T03:45:00Z", // Mumbai's open, 09:15 IST
        "30m, 2024-03-01T03:45:00Z",
        "4h, 2024-03-01T14:30:00Z",
        "2h, 2024-03-01T03:50:00Z", // Moscow's morning session, 06:50 MSK
        "10m, 2024-03-01T03:55:00Z", // 09:15 + 40 minutes
        "20m, 2024-03-01T14:50:00Z", // 09:30 + 20 minutes
        "3m, 2024-03-01T14:31:00Z",
        "45s, 2024-03-01T14:30:45Z",
        "1d, 2024-03-01T03:45:00Z", // daily bars stamped at the session open (Yahoo, NSE)
        "1d, 2024-03-01T21:00:00Z", // Polygon's grouped daily bars: 16:00 New York
        "1w, 2024-03-04T05:00:00Z"
    })
    void acceptsBarsCountedFromASessionOpen(String timeframe, Instant ts) {
        assertThat(validator.check(bar("SPY", timeframe, ts, 1, 1, 1, 1, 0, null, null)))
                .isNull();
    }

    @ParameterizedTest(name = "{0} bar at {1}")
    @CsvSource({
        "1m, 2024-03-01T14:30:07Z", // seconds on a minute bar
        "1m, 2024-03-01T14:30:00.001Z", // a millisecond
        "1h, 2024-03-01T14:37:00Z", // no session opens at 09:37
        "1h, 2024-03-01T14:30:30Z", // a sub-minute offset
        "5m, 2024-03-01T14:31:00Z",
        "30s, 2024-03-01T14:30:15Z",
        "1s, 2024-03-01T14:30:00.500Z",
        "1d, 2024-03-01T05:00:01Z", // a daily bar a second after midnight New York
        "1d, 2024-03-01T05:02:00Z"
    })
    void stillRefusesStartsNoBarClockProduces(String timeframe, Instant ts) {
        Violation violation = validator.check(bar("SPY", timeframe, ts, 1, 1, 1, 1, 0, null, null));
        assertThat(violation).isNotNull();
        assertThat(violation.reason()).isEqualTo(Reason.MISALIGNED_START.name());
    }

    @Test
    void explainsAMisalignedStart() {
        assertThat(validator
                        .check(bar("SPY", "1h", Instant.parse("2024-03-01T14:37:00Z"), 1, 1, 1, 1, 0, null, null))
                        .message())
                .isEqualTo("ts 2024-03-01T14:37:00Z of a 1h bar is not on a multiple of 5m (the bar's "
                        + "length counted from UTC midnight or from a session open on a 5-minute mark)");
    }

    @Test
    void storesTheCanonicalSymbolAndKeepsEverythingElse() {
        Bar ibkr = bar("BRK B", "1m", MINUTE, 1, 2, 0.5, 1.5, 10, 1.2, 3L);
        assertThat(validator.check(ibkr)).isNull();
        assertThat(validator.canonical(ibkr)).isEqualTo(bar("BRK.B", "1m", MINUTE, 1, 2, 0.5, 1.5, 10, 1.2, 3L));
        Bar polygonOption = bar("O:AAPL240315C00180000", "1m", MINUTE, 1, 1, 1, 1, 0, null, null);
        assertThat(validator.canonical(polygonOption).symbol()).isEqualTo("AAPL240315C00180000");
        Bar plain = good();
        assertThat(validator.canonical(plain)).isSameAs(plain);
    }

    static Stream<Arguments> brokenBars() {
        return Stream.of(
                Arguments.of(bar(null, "1m", MINUTE, 1, 1, 1, 1, 0, null, null), Reason.MISSING_FIELD),
                Arguments.of(bar("AAPL", null, MINUTE, 1, 1, 1, 1, 0, null, null), Reason.MISSING_FIELD),
                Arguments.of(bar("AAPL", "1m", null, 1, 1, 1, 1, 0, null, null), Reason.MISSING_FIELD),
                Arguments.of(new Bar("AAPL", "1m", MINUTE, 1, 1, 1, 1, 0, null, null, null), Reason.MISSING_FIELD),
                Arguments.of(bar("AAPL", "1min", MINUTE, 1, 1, 1, 1, 0, null, null), Reason.UNKNOWN_TIMEFRAME),
                Arguments.of(bar("AAPL", "0m", MINUTE, 1, 1, 1, 1, 0, null, null), Reason.UNKNOWN_TIMEFRAME),
                Arguments.of(
                        bar("AAPL", "1m", MINUTE.plusSeconds(7), 1, 1, 1, 1, 0, null, null), Reason.MISALIGNED_START),
                Arguments.of(
                        bar("AAPL", "5m", MINUTE.plusSeconds(60), 1, 1, 1, 1, 0, null, null), Reason.MISALIGNED_START),
                Arguments.of(
                        bar("AAPL", "1m", MINUTE.plusNanos(1000), 1, 1, 1, 1, 0, null, null), Reason.MISALIGNED_START),
                Arguments.of(bar("AAPL", "1m", MINUTE, 0, 1, 1, 1, 0, null, null), Reason.NON_POSITIVE_PRICE),
                Arguments.of(bar("AAPL", "1m", MINUTE, -1, 1, 1, 1, 0, null, null), Reason.NON_POSITIVE_PRICE),
                Arguments.of(bar("AAPL", "1m", MINUTE, 1, Double.NaN, 1, 1, 0, null, null), Reason.NON_POSITIVE_PRICE),
                Arguments.of(
                        bar("AAPL", "1m", MINUTE, 1, Double.POSITIVE_INFINITY, 1, 1, 0, null, null),
                        Reason.NON_POSITIVE_PRICE),
                Arguments.of(bar("AAPL", "1m", MINUTE, 1, 1, 1, -0.5, 0, null, null), Reason.NON_POSITIVE_PRICE),
                Arguments.of(bar("AAPL", "1m", MINUTE, 1, 1, 2, 1, 0, null, null), Reason.HIGH_BELOW_LOW),
                Arguments.of(bar("AAPL", "1m", MINUTE, 3, 2, 1, 1.5, 0, null, null), Reason.HIGH_BELOW_OPEN_CLOSE),
                Arguments.of(bar("AAPL", "1m", MINUTE, 1.5, 2, 1, 3, 0, null, null), Reason.HIGH_BELOW_OPEN_CLOSE),
                Arguments.of(bar("AAPL", "1m", MINUTE, 1, 2, 1.5, 2, 0, null, null), Reason.LOW_ABOVE_OPEN_CLOSE),
                Arguments.of(bar("AAPL", "1m", MINUTE, 2, 2, 1.5, 1, 0, null, null), Reason.LOW_ABOVE_OPEN_CLOSE),
                Arguments.of(bar("AAPL", "1m", MINUTE, 1, 1, 1, 1, -1, null, null), Reason.NEGATIVE_VOLUME),
                Arguments.of(bar("AAPL", "1m", MINUTE, 1, 1, 1, 1, Double.NaN, null, null), Reason.NEGATIVE_VOLUME),
                Arguments.of(
                        bar("AAPL", "1m", MINUTE, 1, 1, 1, 1, Double.POSITIVE_INFINITY, null, null),
                        Reason.NEGATIVE_VOLUME),
                Arguments.of(bar("AAPL", "1m", MINUTE, 1, 1, 1, 1, 0, 0.0, null), Reason.INVALID_VWAP),
                Arguments.of(bar("AAPL", "1m", MINUTE, 1, 1, 1, 1, 0, Double.NaN, null), Reason.INVALID_VWAP),
                Arguments.of(bar("AAPL", "1m", MINUTE, 1, 1, 1, 1, 0, null, -1L), Reason.NEGATIVE_TRADES));
    }

    @ParameterizedTest
    @MethodSource("brokenBars")
    void rejectsEachBrokenRuleWithItsReason(Bar bar, Reason expected) {
        Violation violation = validator.check(bar);
        assertThat(violation).isNotNull();
        assertThat(violation.reason()).isEqualTo(expected.name());
        assertThat(violation.message()).isNotBlank();
    }

    @Test
    void listsEveryReason() {
        assertThat(validator.reasons()).hasSize(Reason.values().length).contains("HIGH_BELOW_LOW");
    }
}
