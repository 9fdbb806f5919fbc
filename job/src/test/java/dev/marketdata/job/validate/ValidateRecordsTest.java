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
            assertThat(rejected)
                    .containsExactly(DeadLetter.rejected(
                            "bars",
                            "HIGH_BELOW_LOW",
                            "high 9.0 < low 11.0",
                            "{\"symbol\":\"AAPL\",\"timeframe\":\"1m\",\"ts\":\"2024-03-01T14:31:00Z\",\"open\":10.0,"
                                    + "\"high\":9.0,\"low\":11.0,\"close\":10.5,\"volume\":100.0,\"vwap\":null,\"trades\":3,"
                                    + "\"provider\":\"test\"}",
                            1_709_303_400_000L));
        }
    }

    @Test
    void aRuleThatThrowsDeadLettersItsRecordAsAnInternalErrorInsteadOfFailingTheTask() throws Exception {
        Bar valid = new Bar("AAPL", "1m", TS, 10, 11, 9, 10.5, 100, null, null, "test");
        Bar poison = new Bar("AAPL", "1m", TS.plusSeconds(60), 10, 11, 9, 10.5, 100, null, null, "test");
        Validator<Bar> throwing = new Validator<>() {
            @Override
            public Violation check(Bar bar) {
                if (bar.ts().equals(TS.plusSeconds(60))) {
                    throw new ArithmeticException("long overflow");
                }
                return null;
            }

            @Override
            public List<String> reasons() {
                return List.of();
            }
        };
        try (OneInputStreamOperatorTestHarness<Bar, Bar> harness = ProcessFunctionTestHarnesses.forProcessFunction(
                new ValidateRecords<>("bars", throwing, new BarJson()))) {
            harness.setProcessingTime(7L);
            harness.processElement(new StreamRecord<>(poison));
            harness.processElement(new StreamRecord<>(valid));

            assertThat(harness.extractOutputValues()).containsExactly(valid);
            assertThat(harness.getSideOutput(ValidateRecords.REJECTED))
                    .extracting(StreamRecord::getValue)
                    .extracting(DeadLetter::stage, DeadLetter::reason, DeadLetter::message)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(
                            DeadLetter.Stage.VALIDATE,
                            "INTERNAL_ERROR",
                            "the job's code threw java.lang.ArithmeticException: long overflow"));
        }
    }

    @Test
    void timesAndDatesOutsideTheStoredRangeAreDeadLetteredNotThrown() {
        Bar sentinel = new Bar("SPY", "1s", Instant.MAX, 1, 1, 1, 1, 1, null, null, "gw");
        assertThat(new BarValidator().check(sentinel).reason()).isEqualTo("TIME_OUT_OF_RANGE");
        Bar yearZero = new Bar("SPY", "1d", Instant.parse("0000-12-31T00:00:00Z"), 1, 1, 1, 1, 1, null, null, "gw");
        assertThat(new BarValidator().check(yearZero).reason()).isEqualTo("TIME_OUT_OF_RANGE");
        // The range's last instant is in it; a bar there is judged by the other rules (here: misaligned).
        Instant lastInstant = Instant.parse("9999-12-31T23:59:59.999999999Z");
        assertThat(StoredDomain.timeProblem("ts", lastInstant)).isNull();
        Bar lastMicro = new Bar("SPY", "1d", lastInstant, 1, 1, 1, 1, 1, null, null, "gw");
        assertThat(new BarValidator().check(lastMicro).reason()).isEqualTo("MISALIGNED_START");
        Bar lastDay = new Bar("SPY", "1d", Instant.parse("9999-12-31T05:00:00Z"), 1, 1, 1, 1, 1, null, null, "gw");
        assertThat(new BarValidator().check(lastDay)).isNull();
    }
}
