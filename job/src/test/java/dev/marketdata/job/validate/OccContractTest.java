package dev.marketdata.job.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.sources.model.OccContract;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OccContractTest {

    private static final OccContract AAPL_CALL = new OccContract("AAPL", LocalDate.of(2024, 3, 15), true, 180_000);

    @ParameterizedTest
    @ValueSource(strings = {"AAPL240315C00180000", "AAPL  240315C00180000", "O:AAPL240315C00180000"})
    void readsTheThreeSpellingsOfOneContractAsOne(String spelling) {
        assertThat(OccContract.parse(spelling)).contains(AAPL_CALL);
        assertThat(OccContract.parse(spelling).orElseThrow().canonical()).isEqualTo("AAPL240315C00180000");
    }

    @Test
    void keepsRootsOfSixCharactersAndAdjustedRoots() {
        assertThat(OccContract.parse("SPXW  240315P04500000").orElseThrow().canonical())
                .isEqualTo("SPXW240315P04500000");
        assertThat(OccContract.parse("GOOGL1240315C00150500").orElseThrow())
                .isEqualTo(new OccContract("GOOGL1", LocalDate.of(2024, 3, 15), true, 150_500));
        assertThat(OccContract.parse("F     240315P00012500").orElseThrow().canonical())
                .isEqualTo("F240315P00012500");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "aapl240315c00180000",
                "AAPL240315X00180000",
                "AAPL240315C0018000",
                "AAPL 240315C00180000",
                "AAPL   240315C00180000",
                "AAPL240231C00180000",
                "O:AAPL  240315C00180000",
                "o:AAPL240315C00180000",
                "ABCDEFG240315C00180000",
                "O:",
                "AAPL"
            })
    void refusesWhatIsNoOccSymbol(String symbol) {
        assertThat(OccContract.parse(symbol)).as(symbol).isEmpty();
    }

    @ParameterizedTest(name = "{0} last traded {1}")
    @CsvSource({
        "AAPL140118C00550000, 2014-01-17", // January 2014: third Friday the 17th
        "SPY150117P00200000, 2015-01-16", // the last Saturday expiration
        "AAPL140419C00530000, 2014-04-17", // third Friday 2014-04-18 was Good Friday: last trading day Thursday
        "IBM101120C00150000, 2010-11-19"
    })
    void acceptsTheSaturdayAfterTheThirdFridayBefore2015(String symbol, LocalDate lastTradingDay) {
        assertThat(OccContract.parse(symbol).orElseThrow().expiresOnSaturdayAfter(lastTradingDay))
                .isTrue();
    }

    @ParameterizedTest(name = "{0} last traded {1}")
    @CsvSource({
        "SPY150221P00200000, 2015-02-20", // February 2015 on: the symbol carries the Friday
        "AAPL140125C00550000, 2014-01-24", // a Saturday after the fourth Friday: weeklies always carried Fridays
        "AAPL140111C00550000, 2014-01-10", // after the second Friday
        "AAPL140118C00550000, 2014-01-15", // three days before the Saturday
        "AAPL140118C00550000, 2014-01-18", // the Saturday itself matches as an equal date, not by this rule
        "AAPL140117C00550000, 2014-01-16"
    }) // a Friday in the symbol
    void refusesOtherDatePairs(String symbol, LocalDate lastTradingDay) {
        assertThat(OccContract.parse(symbol).orElseThrow().expiresOnSaturdayAfter(lastTradingDay))
                .isFalse();
    }
}
