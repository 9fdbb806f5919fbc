package dev.marketdata.job.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Json#parseInstant} gives what {@link Instant#parse} gives, value or error, fast path or not. */
class ParseInstantTest {

    @Test
    void agreesWithInstantParseOnEdgesAndOddities() {
        List<String> texts = List.of(
                "2024-03-01T14:30:00Z",
                "0000-01-01T00:00:00Z",
                "0001-01-01T00:00:00Z",
                "9999-12-31T23:59:59Z",
                "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59Z",
                "2024-02-29T12:00:00Z",
                "2023-02-29T12:00:00Z",
                "2024-02-30T12:00:00Z",
                "2024-04-31T00:00:00Z",
                "2024-13-01T00:00:00Z",
                "2024-00-01T00:00:00Z",
                "2024-01-00T00:00:00Z",
                "2024-01-01T24:00:00Z",
                "2024-01-01T23:60:00Z",
                "2024-01-01T23:59:60Z",
                "2024-01-01t14:30:00z",
                "2024-01-01T14:30:00z",
                "2024-01-01 14:30:00Z",
                "2024-01-01T14:30:00.5Z",
                "2024-01-01T14:30:00.123456789Z",
                "2024-01-01T14:30:00+00:00",
                "+2024-01-01T14:30:00Z",
                "-0001-01-01T00:00:00Z",
                "2024-1-01T14:30:00Z",
                "２０２４-01-01T14:30:00Z",
                "2024-01-01T14:30Z",
                "",
                "Z");
        for (String text : texts) {
            assertThat(outcome(() -> Json.parseInstant(text))).as(text).isEqualTo(outcome(() -> Instant.parse(text)));
        }
    }

    @Test
    void agreesWithInstantParseOnRandomSecondsAndMutations() {
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            String text = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L))
                    .toString();
            if (random.nextInt(3) == 0) {
                int at = random.nextInt(text.length());
                text = text.substring(0, at) + "0123456789:-TZ".charAt(random.nextInt(14)) + text.substring(at + 1);
            }
            String t = text;
            assertThat(outcome(() -> Json.parseInstant(t))).as(t).isEqualTo(outcome(() -> Instant.parse(t)));
        }
    }

    private static Object outcome(java.util.function.Supplier<Instant> parse) {
        try {
            return parse.get();
        } catch (DateTimeParseException e) {
            return "error: " + e.getMessage();
        }
    }
}
