package dev.marketdata.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.MarketDataPipeline.DeadLetters;
import dev.marketdata.job.MarketDataPipeline.Flow;
import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.kafka.KafkaMessage;
import dev.marketdata.job.testing.CollectingSink;
import dev.marketdata.job.testing.ExpectedDataset;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.synthetic.SyntheticSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The job's topology ({@link MarketDataPipeline#wire}) with bounded sources and collecting sinks, on a local
 * environment at parallelism 2, with no database: each data set's valid records reach its sink, every rejected
 * record reaches the one dead-letter sink with its stage and reason. Runs as the job does, with generic types
 * (Kryo) and generated uids refused.
 */
class MarketDataPipelineTest {

    private static final SyntheticSpec SPEC = new SyntheticSpec(3, 20, 0, 7, 42, Instant.parse("2024-01-02T14:30:00Z"));

    private final List<CollectingSink<?>> sinks = new ArrayList<>();

    @AfterEach
    void forgetCollected() {
        sinks.forEach(CollectingSink::clear);
    }

    private static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        return StreamExecutionEnvironment.createLocalEnvironment(2, conf);
    }

    private <T> CollectingSink<T> sink() {
        CollectingSink<T> sink = new CollectingSink<>();
        sinks.add(sink);
        return sink;
    }

    @Test
    void everyDataSetsValidRecordsReachItsSinkAndTheRestTheDeadLetterSink() throws Exception {
        Map<Dataset<?>, CollectingSink<?>> tables = new LinkedHashMap<>();
        List<Flow<?>> flows = new ArrayList<>();
        for (Dataset<?> dataset : Dataset.ALL) {
            flows.add(syntheticFlow(dataset, tables));
        }
        CollectingSink<DeadLetter> letters = sink();
        StreamExecutionEnvironment env = environment();
        MarketDataPipeline.wire(env, flows, DeadLetters.toFiles(letters));
        env.execute("pipeline-test");

        for (Dataset<?> dataset : Dataset.ALL) {
            ExpectedDataset<?> expected = ExpectedDataset.of(SPEC, dataset);
            assertThat(expected.valid()).as(dataset.name()).isNotEmpty();
            assertThat(expected.rejected()).as(dataset.name()).isNotEmpty();
            List<Object> stored = List.copyOf(tables.get(dataset).collected());
            assertThat(stored).as(dataset.name()).containsExactlyInAnyOrderElementsOf(List.copyOf(expected.valid()));
            assertThat(letters.collected().stream()
                            .filter(l -> l.dataset().equals(dataset.name()))
                            .map(l -> l.stage() + " " + l.reason() + " " + l.record()))
                    .as(dataset.name())
                    .containsExactlyInAnyOrderElementsOf(rejectedLines(expected, dataset));
        }
    }

    @Test
    void kafkaValuesAreParsedAndWhatIsNoRecordIsDeadLetteredWithItsOrigin() throws Exception {
        ExpectedDataset<Bar> expected = ExpectedDataset.of(SPEC, Dataset.BARS);
        Bar valid = expected.valid().get(0);
        Bar invalid = expected.rejected().get(0).record();
        // Offset i holds values[i] of topic md.bars, partition 0.
        String[] values = {
            Json.toJson(Dataset.BARS.json(), valid), "not json at all", Json.toJson(Dataset.BARS.json(), invalid)
        };
        DataGeneratorSource<KafkaMessage> source = new DataGeneratorSource<>(
                offset -> message(offset, values[offset.intValue()]),
                values.length,
                TypeInformation.of(KafkaMessage.class));
        CollectingSink<Bar> bars = sink();
        CollectingSink<DeadLetter> letters = sink();
        StreamExecutionEnvironment env = environment();
        MarketDataPipeline.wire(env, List.of(Flow.ofKafka(Dataset.BARS, source, bars)), DeadLetters.toFiles(letters));
        env.execute("pipeline-kafka-test");

        assertThat(bars.collected()).containsExactly(valid);
        assertThat(letters.collected())
                .extracting(l -> l.stage() == DeadLetter.Stage.PARSE
                        ? l.stage() + " " + l.reason() + " " + l.origin() + " " + l.raw()
                        : l.stage() + " " + l.reason() + " " + l.record())
                .containsExactlyInAnyOrder(
                        "parse NOT_JSON md.bars/0/1 not json at all",
                        "validate " + expected.rejected().get(0).reason() + " " + values[2]);
    }

    private static KafkaMessage message(long offset, String value) {
        return new KafkaMessage("md.bars", 0, offset, 1_700_000_000_000L, value.getBytes(StandardCharsets.UTF_8));
    }

    private <T> Flow<T> syntheticFlow(Dataset<T> dataset, Map<Dataset<?>, CollectingSink<?>> tables) {
        CollectingSink<T> table = sink();
        tables.put(dataset, table);
        return Flow.ofRecords(dataset, dataset.synthetic().apply(SPEC), table);
    }

    private static <T> List<String> rejectedLines(ExpectedDataset<T> expected, Dataset<?> dataset) {
        @SuppressWarnings("unchecked")
        Dataset<T> typed = (Dataset<T>) dataset;
        return expected.rejectedLines(typed).stream()
                .map(line -> DeadLetter.Stage.VALIDATE + " " + line)
                .toList();
    }
}
