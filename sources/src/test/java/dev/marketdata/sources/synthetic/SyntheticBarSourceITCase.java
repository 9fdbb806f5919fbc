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

class SyntheticBarSourceITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @Test
    void twoReadersTogetherEmitEveryBarOnceWithoutKryo() throws Exception {
        SyntheticBarSpec spec = new SyntheticBarSpec(9, 25, 0, 0, 7, Instant.parse("2024-01-02T14:30:00Z"));
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);

        List<Bar> emitted = new ArrayList<>();
        try (CloseableIterator<Bar> it = env.fromSource(
                        new SyntheticBarSource(spec), WatermarkStrategy.noWatermarks(), "synthetic")
                .uid("synthetic")
                .executeAndCollect()) {
            it.forEachRemaining(emitted::add);
        }

        SyntheticBars generator = new SyntheticBars(spec);
        List<Bar> expected = new ArrayList<>();
        for (int i = 0; i < spec.symbols(); i++) {
            double close = generator.initialClose(i);
            for (int j = 0; j < spec.barsPerSymbol(); j++) {
                Bar bar = generator.bar(i, j, close);
                expected.add(bar);
                close = bar.close();
            }
        }
        assertThat(emitted).containsExactlyInAnyOrderElementsOf(expected);
    }
}
