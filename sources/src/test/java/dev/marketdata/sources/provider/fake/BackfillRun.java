package dev.marketdata.sources.provider.fake;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.BarsProtocol;
import dev.marketdata.sources.provider.Credentials;
import dev.marketdata.sources.provider.ProviderItem;
import dev.marketdata.sources.provider.ProviderSettings;
import dev.marketdata.sources.provider.ProviderSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/** Runs one bounded provider backfill on the test's MiniCluster (parallelism 2) and collects what it emits. */
public final class BackfillRun {

    private BackfillRun() {}

    /** Short backoffs and timeouts so that retry tests take seconds; a 30 s retry budget. */
    public static ProviderSettings.HttpSettings fastHttp() {
        return new ProviderSettings.HttpSettings(
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                Duration.ofMillis(50),
                Duration.ofMillis(400),
                1,
                false);
    }

    public static ProviderSettings settings(
            String baseUrl,
            Credentials credentials,
            List<String> tickers,
            String timeframe,
            Instant from,
            Instant to,
            Map<String, String> options) {
        return new ProviderSettings(baseUrl, credentials, tickers, timeframe, from, to, options, 60_000, fastHttp());
    }

    public static List<ProviderItem<Bar>> run(BarsProtocol protocol, ProviderSettings settings) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        List<ProviderItem<Bar>> emitted = new ArrayList<>();
        try (CloseableIterator<ProviderItem<Bar>> it = env.fromSource(
                        ProviderSource.bars(protocol, settings),
                        WatermarkStrategy.noWatermarks(),
                        protocol.provider().id())
                .uid(protocol.provider().id() + "-source")
                .executeAndCollect()) {
            it.forEachRemaining(emitted::add);
        }
        return emitted;
    }
}
