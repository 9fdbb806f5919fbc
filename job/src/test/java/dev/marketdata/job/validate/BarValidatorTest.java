package dev.marketdata.job.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.validate.BarValidator.Reason;
import dev.marketdata.sources.model.Bar;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BarValidatorTest {

    private static final Instant MINUTE = Instant.parse("2024-03-01T14:30:00Z");
    private final BarValidator validator = new BarValidator();

    private static Bar bar(String symbol, String timeframe, Instant ts, double o, double h, double l, double c,
            double v, Double vwap, Long trades) {
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
        assertThat(validator.check(bar("AAPL", "1m", MINUTE, 1, 1, 1, 1, 0, null, null))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"AAPL", "BRK.B", "BTC-USD", "X:BTCUSD", "^GSPC", "EUR/USD", "7203", "A"})
    void acceptsProviderSymbols(String symbol) {
        assertThat(validator.check(bar(symbol, "1m", MINUTE, 1, 1, 1, 1, 0, null, null))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "aapl", "AAPL X", " AAPL", "ÄPFEL", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"})
    void rejectsMalformedSymbols(String symbol) {
        assertThat(validator.check(bar(symbol, "1m", MINUTE, 1, 1, 1, 1, 0, null, null)).reason())
                .isEqualTo(Reason.MALFORMED_SYMBOL.name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1s", "1m", "5m", "15m", "1h", "4h", "1d", "1w", "1mo"})
    void acceptsTimeframes(String timeframe) {
        // Midnight UTC is aligned to every intraday timeframe; daily and longer are not checked for alignment.
        Bar bar = bar("AAPL", timeframe, Instant.parse("2024-03-01T00:00:00Z"), 1, 1, 1, 1, 0, null, null);
        assertThat(validator.check(bar)).isNull();
    }

    @Test
    void acceptsDailyBarsStampedAtExchangeMidnight() {
        // Polygon stamps daily bars at midnight New York time: 05:00 UTC in winter.
        Bar bar = bar("AAPL", "1d", Instant.parse("2020-01-02T05:00:00Z"), 1, 1, 1, 1, 0, null, null);
        assertThat(validator.check(bar)).isNull();
    }

    static Stream<Arguments> brokenBars() {
        return Stream.of(
                Arguments.of(bar(null, "1m", MINUTE, 1, 1, 1, 1, 0, null, null), Reason.MISSING_FIELD),
                Arguments.of(bar("AAPL", null, MINUTE, 1, 1, 1, 1, 0, null, null), Reason.MISSING_FIELD),
                Arguments.of(bar("AAPL", "1m", null, 1, 1, 1, 1, 0, null, null), Reason.MISSING_FIELD),
                Arguments.of(new Bar("AAPL", "1m", MINUTE, 1, 1, 1, 1, 0, null, null, null), Reason.MISSING_FIELD),
                Arguments.of(bar("AAPL", "1min", MINUTE, 1, 1, 1, 1, 0, null, null), Reason.UNKNOWN_TIMEFRAME),
                Arguments.of(bar("AAPL", "0m", MINUTE, 1, 1, 1, 1, 0, null, null), Reason.UNKNOWN_TIMEFRAME),
                Arguments.of(bar("AAPL", "1m", MINUTE.plusSeconds(7), 1, 1, 1, 1, 0, null, null),
                        Reason.MISALIGNED_START),
                Arguments.of(bar("AAPL", "5m", MINUTE.plusSeconds(60), 1, 1, 1, 1, 0, null, null),
                        Reason.MISALIGNED_START),
                Arguments.of(bar("AAPL", "1m", MINUTE.plusNanos(1000), 1, 1, 1, 1, 0, null, null),
                        Reason.MISALIGNED_START),
                Arguments.of(bar("AAPL", "1m", MINUTE, 0, 1, 1, 1, 0, null, null), Reason.NON_POSITIVE_PRICE),
                Arguments.of(bar("AAPL", "1m", MINUTE, -1, 1, 1, 1, 0, null, null), Reason.NON_POSITIVE_PRICE),
                Arguments.of(bar("AAPL", "1m", MINUTE, 1, Double.NaN, 1, 1, 0, null, null), Reason.NON_POSITIVE_PRICE),
                Arguments.of(bar("AAPL", "1m", MINUTE, 1, Double.POSITIVE_INFINITY, 1, 1, 0, null, null),
                        Reason.NON_POSITIVE_PRICE),
                Arguments.of(bar("AAPL", "1m", MINUTE, 1, 1, 1, -0.5, 0, null, null), Reason.NON_POSITIVE_PRICE),
                Arguments.of(bar("AAPL", "1m", MINUTE, 1, 1, 2, 1, 0, null, null), Reason.HIGH_BELOW_LOW),
                Arguments.of(bar("AAPL", "1m", MINUTE, 3, 2, 1, 1.5, 0, null, null), Reason.HIGH_BELOW_OPEN_CLOSE),
                Arguments.of(bar("AAPL", "1m", MINUTE, 1.5, 2, 1, 3, 0, null, null), Reason.HIGH_BELOW_OPEN_CLOSE),
                Arguments.of(bar("AAPL", "1m", MINUTE, 1, 2, 1.5, 2, 0, null, null), Reason.LOW_ABOVE_OPEN_CLOSE),
                Arguments.of(bar("AAPL", "1m", MINUTE, 2, 2, 1.5, 1, 0, null, null), Reason.LOW_ABOVE_OPEN_CLOSE),
                Arguments.of(bar("AAPL", "1m", MINUTE, 1, 1, 1, 1, -1, null, null), Reason.NEGATIVE_VOLUME),
                Arguments.of(bar("AAPL", "1m", MINUTE, 1, 1, 1, 1, Double.NaN, null, null), Reason.NEGATIVE_VOLUME),
                Arguments.of(bar("AAPL", "1m", MINUTE, 1, 1, 1, 1, Double.POSITIVE_INFINITY, null, null),
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
