package dev.marketdata.sources.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.sources.model.Bar;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SyntheticSourceITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @Test
    void twoReadersTogetherEmitEveryBarOnceWithoutKryo() throws Exception {
        SyntheticSpec spec = new SyntheticSpec(9, 25, 0, 0, 7, Instant.parse("2024-01-02T14:30:00Z"));
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);

        List<Bar> emitted = new ArrayList<>();
        try (CloseableIterator<Bar> it = env.fromSource(
                        SyntheticSource.bars(spec), WatermarkStrategy.noWatermarks(), "synthetic")
                .uid("synthetic")
                .executeAndCollect()) {
            it.forEachRemaining(emitted::add);
        }

        SyntheticBars generator = new SyntheticBars(spec);
        List<Bar> expected = new ArrayList<>();
        for (int i = 0; i < spec.symbols(); i++) {
            double close = generator.initialClose(i);
            for (int j = 0; j < spec.stepsPerSymbol(); j++) {
                Bar bar = generator.bar(i, j, close);
                expected.add(bar);
                close = bar.close();
            }
        }
        assertThat(emitted).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void everyOtherDataSetToo() throws Exception {
        SyntheticSpec spec = new SyntheticSpec(5, 12, 0, 9, 7, Instant.parse("2024-01-02T14:30:00Z"));
        assertThat(collect(SyntheticSource.options(spec)))
                .containsExactlyInAnyOrderElementsOf(SyntheticTesting.expected(spec, new SyntheticOptionQuotes(spec)));
        assertThat(collect(SyntheticSource.fundamentals(spec)))
                .containsExactlyInAnyOrderElementsOf(SyntheticTesting.expected(spec, new SyntheticFundamentals(spec)));
        assertThat(collect(SyntheticSource.news(spec)))
                .containsExactlyInAnyOrderElementsOf(SyntheticTesting.expected(spec, new SyntheticNews(spec)))
                .isNotEmpty();
    }

    private static <T> List<T> collect(SyntheticSource<T> source) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        List<T> emitted = new ArrayList<>();
        try (CloseableIterator<T> it = env.fromSource(source, WatermarkStrategy.noWatermarks(), "synthetic")
                .uid("synthetic")
                .executeAndCollect()) {
            it.forEachRemaining(emitted::add);
        }
        return emitted;
    }
}
