package dev.marketdata.sources.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TimeframeTest {

    /** The grammar as it was written before the parser read characters by hand: the reference. */
    private static final Pattern GRAMMAR = Pattern.compile("([1-9][0-9]{0,3})(s|m|h|d|w|mo)");

    @Test
    void parsesEachUnit() {
        assertThat(Timeframe.parse("1s")).contains(Duration.ofSeconds(1));
        assertThat(Timeframe.parse("15m")).contains(Duration.ofMinutes(15));
        assertThat(Timeframe.parse("1h")).contains(Duration.ofHours(1));
        assertThat(Timeframe.parse("1d")).contains(Duration.ofDays(1));
        assertThat(Timeframe.parse("2w")).contains(Duration.ofDays(14));
        assertThat(Timeframe.parse("1mo")).contains(Duration.ofDays(30));
        assertThat(Timeframe.parse("9999m")).contains(Duration.ofMinutes(9999));
    }

    @Test
    void refusesWhatIsNoTimeframe() {
        for (String text : List.of(
                "", "m", "0m", "01m", "10000m", "1", "1M", "1 m", " 1m", "1m ", "1min", "1mo ", "1om", "-1m", "+1m",
                "1y", "1ms", "1é", "１m")) {
            assertThat(Timeframe.parse(text)).as(text).isEmpty();
        }
        assertThat(Timeframe.parse(null)).isEmpty();
    }

    @Test
    void agreesWithTheRegularGrammarOnEveryShortString() {
        // Every string of up to 5 characters over digits (with 0), the units' letters, a space and a capital.
        check("", "0159smhdwo M".toCharArray(), 5);
    }

    private static void check(String text, char[] alphabet, int more) {
        assertThat(Timeframe.parse(text)).as(text).isEqualTo(reference(text));
        if (more > 0) {
            for (char c : alphabet) {
                check(text + c, alphabet, more - 1);
            }
        }
    }

    private static Optional<Duration> reference(String text) {
        Matcher m = GRAMMAR.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(
                switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    case "w" -> Duration.ofDays(7 * n);
                    default -> Duration.ofDays(30 * n);
                });
    }
}
