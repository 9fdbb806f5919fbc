package dev.marketdata.job.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.json.OptionQuoteJson;
import dev.marketdata.job.testing.Samples;
import dev.marketdata.sources.model.OptionQuote;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The validation operator passes valid records on in their canonical spelling, and rejects the rest as sent. */
class ValidateRecordsCanonicalTest {

    private static OptionQuote quote(String contract, String underlying) {
        return Samples.read(new OptionQuoteJson(), Samples.OPTION_QUOTE, n -> n.put("contract", contract)
                .put("underlying", underlying));
    }

    @Test
    void passesValidRecordsOnInTheirCanonicalSpellingAndDeadLettersOthersAsSent() throws Exception {
        OptionQuote canonical = quote("AAPL240315C00180000", "AAPL");
        OptionQuote polygon = quote("O:AAPL240315C00180000", "AAPL");
        OptionQuote ibkr = quote("AAPL  240315C00180000", "AAPL");
        OptionQuote broken = quote("O:AAPL  240315C00180000", "BRK B");
        try (OneInputStreamOperatorTestHarness<OptionQuote, OptionQuote> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(
                        new ValidateRecords<>("options", new OptionQuoteValidator(), new OptionQuoteJson()))) {
            harness.processElement(new StreamRecord<>(polygon));
            harness.processElement(new StreamRecord<>(ibkr));
            harness.processElement(new StreamRecord<>(canonical));
            harness.processElement(new StreamRecord<>(broken));

            assertThat(harness.extractOutputValues()).containsExactly(canonical, canonical, canonical);
            assertThat(harness.getSideOutput(ValidateRecords.REJECTED))
                    .singleElement()
                    .extracting(StreamRecord::getValue)
                    .satisfies(letter -> {
                        assertThat(letter.reason()).isEqualTo("MALFORMED_CONTRACT");
                        assertThat(letter.record())
                                .contains("\"contract\":\"O:AAPL  240315C00180000\"")
                                .contains("\"underlying\":\"BRK B\"");
                    });
        }
    }
}
