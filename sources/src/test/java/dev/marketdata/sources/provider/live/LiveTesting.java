package dev.marketdata.sources.provider.live;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.Credentials;
import dev.marketdata.sources.provider.ProviderItem;
import dev.marketdata.sources.provider.ProviderSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;

/** A live reader driven by the test thread (as the task thread would), against fake servers. */
final class LiveTesting {

    private LiveTesting() {}

    static ProviderSettings rest(String baseUrl, Credentials credentials, List<String> tickers) {
        return new ProviderSettings(
                baseUrl,
                credentials,
                tickers,
                "1m",
                Instant.EPOCH,
                Instant.parse("2100-01-01T00:00:00Z"),
                Map.of(),
                60_000,
                new ProviderSettings.HttpSettings(
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(5),
                        Duration.ofMillis(10),
                        Duration.ofMillis(50),
                        0,
                        false));
    }

    /** Short waits so a test takes well under a second per reconnect. */
    static LiveSettings live(String url, int capacity, OverflowPolicy overflow) {
        return new LiveSettings(
                url,
                capacity,
                overflow,
                Duration.ofMillis(20),
                Duration.ofMillis(100),
                Duration.ofMillis(50),
                Duration.ofMinutes(5),
                true,
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                Duration.ofMinutes(1),
                Duration.ofMinutes(8),
                null);
    }

    /** A started reader that owns a fresh split. */
    static LiveReader reader(LiveProtocol protocol, ProviderSettings rest, LiveSettings live, LiveSplit split) {
        LiveReader reader = new LiveReader(new Context(), protocol, rest, live, Clock.systemUTC());
        reader.start();
        reader.addSplits(List.of(split));
        return reader;
    }

    static LiveSplit fresh(String provider) {
        return new LiveSplit(provider, Map.of(), false);
    }

    /** Polls {@code reader} into {@code out} until {@code done} holds (fails after 10 s). */
    static void pollUntil(LiveReader reader, Collecting out, Predicate<List<ProviderItem<Bar>>> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!done.test(out.records)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; emitted so far: " + out.records);
            }
            reader.pollNext(out);
            if (!done.test(out.records)) {
                try {
                    reader.isAvailable().get(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException notYet) {
                    // Poll again.
                }
            }
        }
    }

    static Predicate<List<ProviderItem<Bar>>> size(int n) {
        return records -> records.size() >= n;
    }

    /** Collects what a reader emits. */
    static final class Collecting implements ReaderOutput<ProviderItem<Bar>> {
        final List<ProviderItem<Bar>> records = new ArrayList<>();

        @Override
        public void collect(ProviderItem<Bar> record) {
            records.add(record);
        }

        @Override
        public void collect(ProviderItem<Bar> record, long timestamp) {
            records.add(record);
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
    }

    static final class Context implements SourceReaderContext {
        @Override
        public SourceReaderMetricGroup metricGroup() {
            return UnregisteredMetricsGroup.createSourceReaderMetricGroup();
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
        public void sendSourceEventToCoordinator(SourceEvent sourceEvent) {}

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
        }
    }
}
