package dev.marketdata.sources.provider.live;

import static dev.marketdata.sources.provider.fake.FakePolygonStream.am;
import static dev.marketdata.sources.provider.fake.FakePolygonStream.expectedLiveBar;
import static dev.marketdata.sources.provider.fake.FakePolygonStream.frame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.Credentials;
import dev.marketdata.sources.provider.ProviderItem;
import dev.marketdata.sources.provider.fake.FakePolygonServer;
import dev.marketdata.sources.provider.fake.FakePolygonStream;
import dev.marketdata.sources.provider.polygon.PolygonLiveProtocol;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The live source on a MiniCluster at parallelism 2: one reader owns the one socket; the others stay idle. */
class PolygonLiveSourceITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final Instant T0 =
            Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));

    private final FakePolygonServer polygon = new FakePolygonServer();
    private final FakePolygonStream stream = new FakePolygonStream();

    @AfterEach
    void stop() {
        stream.close();
        polygon.close();
    }

    @Test
    void oneSocketForTheWholeJobAtParallelismTwo() throws Exception {
        polygon.addBars("AAPL");
        polygon.addBars("MSFT");
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        LiveSource source = new LiveSource(
                new PolygonLiveProtocol(),
                LiveTesting.rest(polygon.baseUrl(), Credentials.key(FakePolygonServer.KEY), List.of("AAPL", "MSFT")),
                LiveTesting.live(stream.url(), 100, OverflowPolicy.BLOCK));
        List<ProviderItem<Bar>> emitted = new ArrayList<>();
        try (CloseableIterator<ProviderItem<Bar>> it = env.fromSource(source, WatermarkStrategy.noWatermarks(), "live")
                .uid("live")
                .executeAndCollect()) {
            stream.awaitSubscribed(0, Duration.ofSeconds(20)).send(frame(am("AAPL", T0, 0, 0), am("MSFT", T0, 0, 0)));
            emitted.add(it.next());
            emitted.add(it.next());
        }
        assertThat(emitted)
                .extracting(ProviderItem::record)
                .containsExactlyInAnyOrder(expectedLiveBar("AAPL", T0, 0, 0), expectedLiveBar("MSFT", T0, 0, 0));
        assertThat(stream.connections()).hasSize(1);
    }

    @Test
    void aRefusedKeyFailsTheJobAtOnceWithOneLineAndNoRestart() {
        polygon.addBars("AAPL");
        stream.refuseNextAuth("auth_failed");
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.setString("restart-strategy.type", "fixed-delay");
        conf.setString("restart-strategy.fixed-delay.attempts", "3");
        conf.setString("restart-strategy.fixed-delay.delay", "10 ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        LiveSource source = new LiveSource(
                new PolygonLiveProtocol(),
                LiveTesting.rest(polygon.baseUrl(), Credentials.key(FakePolygonServer.KEY), List.of("AAPL")),
                LiveTesting.live(stream.url(), 100, OverflowPolicy.BLOCK));

        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> {
            try (CloseableIterator<ProviderItem<Bar>> it = env.fromSource(
                            source, WatermarkStrategy.noWatermarks(), "live")
                    .uid("live")
                    .executeAndCollect()) {
                it.next();
            }
        });
        assertThat(org.apache.flink.util.ExceptionUtils.findThrowable(
                        failure, dev.marketdata.sources.provider.ProviderFatalException.class))
                .get()
                .extracting(Throwable::getMessage)
                .isEqualTo("polygon live: authentication failed: refused by the test (auth_failed)");
        // A non-recoverable error: not restarted, so one connection only.
        assertThat(stream.connections()).hasSize(1);
    }
}
