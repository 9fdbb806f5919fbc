package dev.marketdata.job.parse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.json.BarJson;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.kafka.KafkaMessage;
import dev.marketdata.job.testing.Samples;
import dev.marketdata.sources.model.Bar;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class ParseRecordsTest {

    private static final long NOW = 1_709_303_400_000L;

    private static KafkaMessage message(long offset, byte[] value) {
        return new KafkaMessage("md.bars", 1, offset, NOW - 5, value);
    }

    private static KafkaMessage message(long offset, String value) {
        return message(offset, value.getBytes(UTF_8));
    }

    private static DeadLetter letter(long offset, String reason, String message, String raw, String encoding) {
        return DeadLetter.unparsed(
                "bars",
                reason,
                message,
                new DeadLetter.Raw(raw, DeadLetter.RawEncoding.ofLabel(encoding)),
                "md.bars/1/" + offset,
                NOW);
    }

    @Test
    void parsesValidValuesAndDeadLettersEveryOtherWithItsBytesAndCoordinates() throws Exception {
        byte[] notUtf8 = {(byte) 0xC3, (byte) 0x28, '{', '}'};
        try (OneInputStreamOperatorTestHarness<KafkaMessage, Bar> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new ParseRecords<>("bars", new BarJson()))) {
            harness.setProcessingTime(NOW);
            harness.processElement(new StreamRecord<>(message(0, Samples.BAR)));
            harness.processElement(new StreamRecord<>(message(1, "{\"symbol\":\"AAPL\",")));
            harness.processElement(new StreamRecord<>(message(2, "hello\nworld")));
            harness.processElement(new StreamRecord<>(message(3, notUtf8)));
            harness.processElement(new StreamRecord<>(message(4, (byte[]) null)));
            harness.processElement(new StreamRecord<>(message(5, "")));
            harness.processElement(new StreamRecord<>(message(6, Samples.BAR + " {}")));
            harness.processElement(new StreamRecord<>(message(7, "{\"symbol\":\"A\",\"symbol\":\"B\"}")));
            harness.processElement(new StreamRecord<>(message(8, "[" + Samples.BAR + "]")));
            harness.processElement(new StreamRecord<>(message(9, Samples.edit(Samples.BAR, n -> n.remove("close")))));
            harness.processElement(new StreamRecord<>(message(10, Samples.edit(Samples.BAR, n -> n.put("open", "1")))));
            harness.processElement(new StreamRecord<>(message(11, Samples.edit(Samples.BAR, n -> n.put("ts", "now")))));
            harness.processElement(
                    new StreamRecord<>(message(12, "{\"symbol\":\"AAPL\",\"note\":\"\u00e9t\u00e9 \u20ac\"}")));

            assertThat(harness.extractOutputValues())
                    .containsExactly(new BarJson().read(Json.MAPPER.readTree(Samples.BAR)));
            List<DeadLetter> rejected = harness.getSideOutput(ParseRecords.UNPARSEABLE).stream()
                    .map(StreamRecord::getValue)
                    .toList();
            assertThat(rejected)
                    .containsExactly(
                            letter(
                                    1,
                                    "NOT_JSON",
                                    "not JSON: Unexpected end-of-input within/between Object entries "
                                            + "(line 1, column 18)",
                                    "{\"symbol\":\"AAPL\",",
                                    "text"),
                            letter(
                                    2,
                                    "NOT_JSON",
                                    "not JSON: Unrecognized token 'hello': was expecting (JSON String, "
                                            + "Number, Array, Object or token 'null', 'true' or 'false') (line 1, column 7)",
                                    "hello\nworld",
                                    "text"),
                            letter(
                                    3,
                                    "NOT_JSON",
                                    "not JSON: Unrecognized token '\u00c3': was expecting (JSON String, "
                                            + "Number, Array, Object or token 'null', 'true' or 'false') (line 1, column 3)",
                                    "wyh7fQ==",
                                    "base64"),
                            letter(4, "NOT_JSON", "the value is null (a tombstone)", null, null),
                            letter(5, "NOT_JSON", "the value is empty", "", "text"),
                            letter(6, "NOT_JSON", rejected.get(5).message(), Samples.BAR + " {}", "text"),
                            letter(
                                    7,
                                    "NOT_JSON",
                                    rejected.get(6).message(),
                                    "{\"symbol\":\"A\",\"symbol\":\"B\"}",
                                    "text"),
                            letter(
                                    8,
                                    "WRONG_TYPE",
                                    "the value must be a JSON object, got ARRAY",
                                    "[" + Samples.BAR + "]",
                                    "text"),
                            letter(
                                    9,
                                    "MISSING_FIELD",
                                    "missing required field 'close'",
                                    Samples.edit(Samples.BAR, n -> n.remove("close")),
                                    "text"),
                            letter(
                                    10,
                                    "WRONG_TYPE",
                                    "field 'open' must be a number, got STRING",
                                    Samples.edit(Samples.BAR, n -> n.put("open", "1")),
                                    "text"),
                            letter(
                                    11,
                                    "WRONG_TYPE",
                                    "field 'ts' must be an RFC 3339 UTC time, got 'now'",
                                    Samples.edit(Samples.BAR, n -> n.put("ts", "now")),
                                    "text"),
                            letter(
                                    12,
                                    "MISSING_FIELD",
                                    "missing required field 'timeframe'",
                                    "{\"symbol\":\"AAPL\",\"note\":\"\u00e9t\u00e9 \u20ac\"}",
                                    "text"));
            assertThat(rejected.get(5).message()).startsWith("not JSON: Trailing token (of type START_OBJECT)");
            assertThat(rejected.get(6).message()).startsWith("not JSON: Duplicate field 'symbol'");
        }
    }
}
