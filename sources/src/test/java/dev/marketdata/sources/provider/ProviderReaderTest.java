package dev.marketdata.sources.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.fake.BackfillRun;
import dev.marketdata.sources.provider.fake.FakePolygonServer;
import dev.marketdata.sources.provider.fake.FakeResponse;
import dev.marketdata.sources.provider.polygon.PolygonProtocol;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.junit.jupiter.api.Test;

/**
 * The one reader of every data set on its own, driven like a task thread drives it: a bars split whose answer has a
 * bar outside the window, an identical repeat and a different repeat; what it emits, and that {@code barsReceived}
 * counts every bar read before those checks.
 */
class ProviderReaderTest {

    private static final Instant FROM = Instant.parse("2024-03-01T05:00:00Z");
    private static final Instant TO = Instant.parse("2024-03-02T05:00:00Z");

    private static String bar(String t, double close) {
        return "{\"o\":170,\"h\":171,\"l\":169,\"c\":" + close + ",\"v\":100,\"t\":"
                + Instant.parse(t).toEpochMilli() + "}";
    }

    private static Bar expected(String t, double close) {
        return new Bar("AAPL", "1m", Instant.parse(t), 170, 171, 169, close, 100, null, null, "polygon");
    }

    @Test
    void emitsEachBarOnceDeadLettersTheRestAndCountsEveryBarRead() throws Exception {
        RecordingMetricGroup metrics = new RecordingMetricGroup();
        List<ProviderItem<Bar>> emitted = new ArrayList<>();
        try (FakePolygonServer polygon = new FakePolygonServer()) {
            polygon.http()
                    .script(
                            "/v2/aggs/ticker/AAPL/*",
                            FakeResponse.ok("{\"status\":\"OK\",\"results\":["
                                    + String.join(
                                            ",",
                                            bar("2024-03-01T14:31:00Z", 170.5),
                                            bar("2024-03-01T14:30:00Z", 170.25),
                                            bar("2024-03-01T14:30:00Z", 170.25),
                                            bar("2024-03-01T14:31:00Z", 170.75),
                                            bar("2024-02-29T14:30:00Z", 170.0))
                                    + "]}"));
            ProviderSettings settings = BackfillRun.settings(
                    polygon.baseUrl(),
                    Credentials.key(FakePolygonServer.KEY),
                    List.of("AAPL"),
                    "1m",
                    FROM,
                    TO,
                    Map.of());
            ProviderReader<Bar> reader =
                    new ProviderReader<>(context(metrics), new BarPages(new PolygonProtocol(), "1m"), settings);
            reader.start();
            reader.addSplits(List.of(ProviderSplit.bars("AAPL", "AAPL", FROM, TO)));
            reader.notifyNoMoreSplits();
            ReaderOutput<ProviderItem<Bar>> output = output(emitted);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            InputStatus status;
            while ((status = reader.pollNext(output)) != InputStatus.END_OF_INPUT) {
                assertThat(System.nanoTime()).as("the reader ends").isLessThan(deadline);
                if (status == InputStatus.NOTHING_AVAILABLE) {
                    reader.isAvailable().get(10, TimeUnit.SECONDS);
                }
            }
            assertThat(polygon.http().count("/v2/aggs/ticker/AAPL/")).isEqualTo(1);
        }

        assertThat(emitted.stream().filter(ProviderItem::isRecord).map(ProviderItem::record))
                .containsExactly(expected("2024-03-01T14:30:00Z", 170.25), expected("2024-03-01T14:31:00Z", 170.5));
        assertThat(emitted.stream().filter(item -> !item.isRecord()).map(item -> item.reason() + ": " + item.message()))
                .containsExactly(
                        "OUTSIDE_WINDOW: record time 2024-02-29T14:30:00Z is outside the requested window "
                                + "[2024-03-01T05:00:00Z, 2024-03-02T05:00:00Z)",
                        "DUPLICATE_BAR: a second, different record at 2024-03-01T14:31:00Z in the same response");
        assertThat(metrics.count("provider.polygon.barsReceived")).isEqualTo(5);
    }

    private static ReaderOutput<ProviderItem<Bar>> output(List<ProviderItem<Bar>> emitted) {
        return new ReaderOutput<>() {
            @Override
            public void collect(ProviderItem<Bar> record) {
                emitted.add(record);
            }

            @Override
            public void collect(ProviderItem<Bar> record, long timestamp) {
                emitted.add(record);
            }

            @Override
            public void emitWatermark(Watermark watermark) {}

            @Override
            public void markIdle() {}

            @Override
            public void markActive() {}

            @Override
            public SourceOutput<ProviderItem<Bar>> createOutputForSplit(String splitId) {
                return this;
            }

            @Override
            public void releaseOutputForSplit(String splitId) {}
        };
    }

    /** A reader context whose metric group records what is registered under it (the rest is not used). */
    private static SourceReaderContext context(RecordingMetricGroup metrics) {
        SourceReaderMetricGroup group = (SourceReaderMetricGroup) Proxy.newProxyInstance(
                ProviderReaderTest.class.getClassLoader(),
                new Class<?>[] {SourceReaderMetricGroup.class},
                (proxy, method, args) -> {
                    Method own = MetricGroup.class.getMethod(method.getName(), method.getParameterTypes());
                    return own.invoke(metrics, args);
                });
        return new SourceReaderContext() {
            @Override
            public SourceReaderMetricGroup metricGroup() {
                return group;
            }

            @Override
            public Configuration getConfiguration() {
                return new Configuration();
            }

            @Override
            public String getLocalHostName() {
                return "localhost";
            }

            @Override
            public int getIndexOfSubtask() {
                return 0;
            }

            @Override
            public void sendSplitRequest() {}

            @Override
            public void sendSourceEventToCoordinator(SourceEvent event) {}

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return SimpleUserCodeClassLoader.create(ProviderReaderTest.class.getClassLoader());
            }

            @Override
            public int currentParallelism() {
                return 1;
            }
        };
    }
}
