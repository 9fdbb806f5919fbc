package dev.marketdata.job.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.json.BarJson;
import dev.marketdata.job.json.Json;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.ProviderItem;
import dev.marketdata.sources.provider.RejectedItem;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The one parse stage after every provider source: records on, everything else a parse-stage dead letter. */
class ParseProviderItemsTest {

    private static final long NOW = 1_709_303_400_000L;
    private static final String ORIGIN = "polygon GET /v2/aggs/ticker/AAPL/range/1/minute/1/2?limit=50000";

    @Test
    void passesRecordsOnAndDeadLettersTheRestWithRawTextRecordAndOrigin() throws Exception {
        Bar bar = new Bar(
                "AAPL", "1m", Instant.parse("2024-03-01T14:30:00Z"), 170, 171, 169, 170.5, 100, null, null, "polygon");
        Bar outside = new Bar(
                "AAPL", "1m", Instant.parse("2024-02-29T14:30:00Z"), 170, 171, 169, 170.5, 100, null, null, "polygon");
        try (OneInputStreamOperatorTestHarness<ProviderItem<Bar>, Bar> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new ParseProviderItems<>("bars", new BarJson()))) {
            harness.setProcessingTime(NOW);
            harness.processElement(new StreamRecord<>(ProviderItem.of(bar, "AAPL")));
            harness.processElement(new StreamRecord<>(ProviderItem.rejected(
                    "AAPL",
                    new RejectedItem("{\"t\":1}", RejectedItem.MISSING_FIELD, "required field o is missing"),
                    ORIGIN)));
            harness.processElement(new StreamRecord<>(
                    new ProviderItem<>(outside, "AAPL", RejectedItem.OUTSIDE_WINDOW, "outside", null, ORIGIN)));

            assertThat(harness.extractOutputValues()).containsExactly(bar);
            List<DeadLetter> letters = harness.getSideOutput(ParseRecords.UNPARSEABLE).stream()
                    .map(StreamRecord::getValue)
                    .toList();
            assertThat(letters)
                    .containsExactly(
                            new DeadLetter(
                                    "bars",
                                    DeadLetter.Stage.PARSE,
                                    "MISSING_FIELD",
                                    "required field o is missing",
                                    null,
                                    "{\"t\":1}",
                                    DeadLetter.RawEncoding.TEXT,
                                    ORIGIN,
                                    NOW),
                            new DeadLetter(
                                    "bars",
                                    DeadLetter.Stage.PARSE,
                                    "OUTSIDE_WINDOW",
                                    "outside",
                                    Json.toJson(new BarJson(), outside),
                                    null,
                                    null,
                                    ORIGIN,
                                    NOW));
        }
    }
}
