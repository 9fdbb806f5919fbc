package dev.marketdata.job.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeadLetterEncoderTest {

    @Test
    void writesOneJsonObjectPerLineWithTheRecordEmbedded() throws Exception {
        DeadLetter letter = DeadLetter.rejected(
                "bars",
                "HIGH_BELOW_LOW",
                "high 1.0 < low 2.0",
                "{\"symbol\":\"AAPL\",\"open\":1.5}",
                1_709_303_400_123L);
        assertThat(new String(DeadLetterEncoder.toLine(letter), StandardCharsets.UTF_8))
                .isEqualTo("{\"dataset\":\"bars\",\"stage\":\"validate\",\"reason\":\"HIGH_BELOW_LOW\","
                        + "\"message\":\"high 1.0 < low 2.0\",\"record\":{\"symbol\":\"AAPL\",\"open\":1.5},"
                        + "\"rejectedAt\":\"2024-03-01T14:30:00.123Z\"}\n");
    }

    @Test
    void keepsARawPayloadAsAnEscapedStringWithItsOrigin() throws Exception {
        DeadLetter letter = DeadLetter.unparsed(
                "bars",
                "NOT_JSON",
                "Unexpected character",
                DeadLetter.Raw.text("{\"symbol\":\n\"AAPL"),
                "md.bars/1/42",
                0L);
        String line = new String(DeadLetterEncoder.toLine(letter), StandardCharsets.UTF_8);
        assertThat(line)
                .isEqualTo("{\"dataset\":\"bars\",\"stage\":\"parse\",\"reason\":\"NOT_JSON\","
                        + "\"message\":\"Unexpected character\",\"raw\":\"{\\\"symbol\\\":\\n\\\"AAPL\",\"rawEncoding\":\"text\","
                        + "\"origin\":\"md.bars/1/42\",\"rejectedAt\":\"1970-01-01T00:00:00Z\"}\n");
        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
    }
}
