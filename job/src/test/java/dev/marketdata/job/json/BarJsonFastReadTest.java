package dev.marketdata.job.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.sources.model.Bar;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming read of a bar ({@link BarJson#readFast}) against the tree read it stands in for: whatever it
 * returns must be exactly what the tree gives, and it must return the plain records the job mostly sees.
 */
class BarJsonFastReadTest {

    private static final BarJson JSON = new BarJson();

    @Test
    void readsPlainRecordsAsTheTreeDoes() throws Exception {
        Random random = new Random(12);
        for (int i = 0; i < 2_000; i++) {
            Bar bar = new Bar(
                    "S" + random.nextInt(1000),
                    "1m",
                    java.time.Instant.ofEpochSecond(1_700_000_000L + 60L * random.nextInt(1_000_000)),
                    random.nextDouble() * 1000,
                    random.nextDouble() * 1e9,
                    random.nextDouble(),
                    random.nextInt(),
                    random.nextBoolean() ? random.nextLong() : random.nextGaussian(),
                    random.nextBoolean() ? null : random.nextDouble(),
                    random.nextBoolean() ? null : random.nextLong(),
                    random.nextBoolean() ? "synthetic" : "polygon");
            byte[] value = Json.toJson(JSON, bar).getBytes(UTF_8);
            Bar fast = JSON.readFast(value);
            assertThat(fast).as(new String(value, UTF_8)).isNotNull().isEqualTo(tree(value));
        }
    }

    @Test
    void neverDisagreesWithTheTreeOnOddValues() {
        List<String> odd = new ArrayList<>(List.of(
                "",
                " ",
                "null",
                "[]",
                "{}",
                "\"x\"",
                "{\"symbol\":\"A\"}",
                base().replace("\"ts\":\"2024-03-01T14:30:00Z\"", "\"ts\":\"2024-03-01T14:30:60Z\""),
                base().replace("\"ts\":\"2024-03-01T14:30:00Z\"", "\"ts\":\"2024-03-01 14:30:00\""),
                base().replace("\"ts\":\"2024-03-01T14:30:00Z\"", "\"ts\":\"2024-03-01T14:30:00.123456789Z\""),
                base().replace("\"ts\":\"2024-03-01T14:30:00Z\"", "\"ts\":\"+12024-03-01T14:30:00Z\""),
                base().replace("\"ts\":\"2024-03-01T14:30:00Z\"", "\"ts\":1709303400"),
                base().replace("\"open\":182.1", "\"open\":\"182.1\""),
                base().replace("\"open\":182.1", "\"open\":1.821e2"),
                base().replace("\"open\":182.1", "\"open\":182"),
                base().replace("\"open\":182.1", "\"open\":-0"),
                base().replace("\"open\":182.1", "\"open\":123456789012345678901234567890"),
                base().replace("\"open\":182.1", "\"open\":1e400"),
                base().replace("\"open\":182.1", "\"open\":null"),
                base().replace("\"open\":182.1", "\"open\":true"),
                base().replace("\"trades\":812", "\"trades\":812.0"),
                base().replace("\"trades\":812", "\"trades\":8.12e2"),
                base().replace("\"trades\":812", "\"trades\":812.5"),
                base().replace("\"trades\":812", "\"trades\":9223372036854775808"),
                base().replace("\"trades\":812", "\"trades\":-9223372036854775808"),
                base().replace("\"trades\":812", "\"trades\":null"),
                base().replace("\"trades\":812", "\"trades\":\"812\""),
                base().replace("\"vwap\":182.2", "\"vwap\":null"),
                base().replace("\"vwap\":182.2,", ""),
                base().replace("\"provider\":\"polygon\"", "\"provider\":null"),
                base().replace(",\"provider\":\"polygon\"", ""),
                base().replace("\"provider\":\"polygon\"", "\"provider\":7"),
                base().replace("\"symbol\":\"AAPL\"", "\"symbol\":\"A\\u0000PL\""),
                base().replace("\"symbol\":\"AAPL\"", "\"symbol\":\"\\ud800\""),
                base().replace("\"symbol\":\"AAPL\"", "\"symbol\":\"\u00c9T\u00c9 \u20ac\""),
                base().replace("\"symbol\":\"AAPL\"", "\"symbol\":[\"AAPL\"]"),
                base().replace("\"symbol\":\"AAPL\"", "\"symbol\":\"AAPL\",\"symbol\":\"MSFT\""),
                base().replace("\"symbol\":\"AAPL\"", "\"symbol\":\"AAPL\",\"note\":{\"a\":1,\"a\":2}"),
                base().replace("\"symbol\":\"AAPL\"", "\"symbol\":\"AAPL\",\"note\":\"x\""),
                base().replace("\"symbol\":\"AAPL\"", "\"Symbol\":\"AAPL\""),
                base() + " ",
                base() + "\n",
                " \t" + base(),
                base() + "{}",
                base() + "x",
                base() + "]",
                "[" + base() + "]",
                base().substring(0, base().length() - 1)));
        List<String> fields = List.of(
                "\"symbol\":\"AAPL\"",
                "\"timeframe\":\"1m\"",
                "\"ts\":\"2024-03-01T14:30:00Z\"",
                "\"open\":182.1",
                "\"high\":182.5",
                "\"low\":181.9",
                "\"close\":182.2",
                "\"volume\":12345",
                "\"vwap\":182.2",
                "\"trades\":812",
                "\"provider\":\"polygon\"");
        Random random = new Random(7);
        for (int i = 0; i < 3_000; i++) {
            List<String> some = new ArrayList<>(fields);
            Collections.shuffle(some, random);
            if (random.nextInt(4) == 0) {
                some.remove(random.nextInt(some.size()));
            }
            if (random.nextInt(4) == 0) {
                some.add(some.get(random.nextInt(some.size())));
            }
            String text = "{" + String.join(random.nextBoolean() ? "," : " , ", some) + "}";
            if (random.nextInt(5) == 0) {
                int at = random.nextInt(text.length());
                text = text.substring(0, at) + "\"{}[],:0e.-\\ ".charAt(random.nextInt(13)) + text.substring(at + 1);
            }
            odd.add(text);
        }
        int fast = 0;
        for (String text : odd) {
            byte[] value = text.getBytes(UTF_8);
            Bar bar = JSON.readFast(value);
            if (bar != null) {
                fast++;
                assertThat(bar).as(text).isEqualTo(tree(value));
            }
        }
        assertThat(fast).as("values the fast path read").isGreaterThan(500);
        assertThat(JSON.readFast(new byte[] {(byte) 0xC3, (byte) 0x28})).isNull();
        assertThat(JSON.readFast(null)).isNull();
    }

    private static String base() {
        return "{\"symbol\":\"AAPL\",\"timeframe\":\"1m\",\"ts\":\"2024-03-01T14:30:00Z\",\"open\":182.1,"
                + "\"high\":182.5,\"low\":181.9,\"close\":182.2,\"volume\":12345,\"vwap\":182.2,\"trades\":812,"
                + "\"provider\":\"polygon\"}";
    }

    /** What the tree read gives, or an AssertionError when it refuses the value. */
    private static Bar tree(byte[] value) {
        JsonNode node;
        try {
            node = Json.STRICT_READER.readTree(value);
        } catch (java.io.IOException e) {
            throw new AssertionError("the tree refuses it as JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new AssertionError("the tree refuses it: not an object");
        }
        try {
            return JSON.read(node);
        } catch (IllegalArgumentException e) {
            throw new AssertionError("the tree refuses it: " + e.getMessage());
        }
    }
}
