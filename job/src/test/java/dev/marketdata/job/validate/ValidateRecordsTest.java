package dev.marketdata.job.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.json.BarJson;
import dev.marketdata.sources.model.Bar;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class ValidateRecordsTest {

    private static final Instant TS = Instant.parse("2024-03-01T14:30:00Z");

    @Test
    void passesValidBarsAndSendsInvalidOnesToTheSideOutputWithTheirReason() throws Exception {
        Bar valid = new Bar("AAPL", "1m", TS, 10, 11, 9, 10.5, 100, null, null, "test");
        Bar invalid = new Bar("AAPL", "1m", TS.plusSeconds(60), 10, 9, 11, 10.5, 100, null, 3L, "test");
        try (OneInputStreamOperatorTestHarness<Bar, Bar> harness = ProcessFunctionTestHarnesses.forProcessFunction(
                new ValidateRecords<>("bars", new BarValidator(), new BarJson()))) {
            harness.setProcessingTime(1_709_303_400_000L);
            harness.processElement(new StreamRecord<>(valid));
            harness.processElement(new StreamRecord<>(invalid));

            assertThat(harness.extractOutputValues()).containsExactly(valid);
            List<DeadLetter> rejected = harness.getSideOutput(ValidateRecords.REJECTED).stream()
                    .map(StreamRecord::getValue)
                    .toList();
            assertThat(rejected).containsExactly(new DeadLetter(
                    "bars",
                    "validate",
                    "HIGH_BELOW_LOW",
                    "high 9.0 < low 11.0",
                    "{\"symbol\":\"AAPL\",\"timeframe\":\"1m\",\"ts\":\"2024-03-01T14:31:00Z\",\"open\":10.0,"
                            + "\"high\":9.0,\"low\":11.0,\"close\":10.5,\"volume\":100.0,\"vwap\":null,\"trades\":3,"
                            + "\"provider\":\"test\"}",
                    null,
                    null,
                    null,
                    1_709_303_400_000L));
        }
    }
}
