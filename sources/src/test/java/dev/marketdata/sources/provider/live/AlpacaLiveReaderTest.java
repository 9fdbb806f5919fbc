package dev.marketdata.sources.provider.live;

import static dev.marketdata.sources.provider.fake.FakeAlpacaServer.expectedMinuteBar;
import static dev.marketdata.sources.provider.fake.FakeAlpacaStream.bar;
import static dev.marketdata.sources.provider.fake.FakeAlpacaStream.expectedUpdated;
import static dev.marketdata.sources.provider.fake.FakeAlpacaStream.updated;
import static dev.marketdata.sources.provider.fake.FakeStreamServer.array;
import static dev.marketdata.sources.provider.live.LiveTesting.fresh;
import static dev.marketdata.sources.provider.live.LiveTesting.pollUntil;
import static dev.marketdata.sources.provider.live.LiveTesting.reader;
import static dev.marketdata.sources.provider.live.LiveTesting.size;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.sources.provider.Credentials;
import dev.marketdata.sources.provider.ProviderFatalException;
import dev.marketdata.sources.provider.ProviderItem;
import dev.marketdata.sources.provider.ProviderSettings;
import dev.marketdata.sources.provider.alpaca.AlpacaBarsProtocol;
import dev.marketdata.sources.provider.alpaca.AlpacaLiveProtocol;
import dev.marketdata.sources.provider.fake.FakeAlpacaServer;
import dev.marketdata.sources.provider.fake.FakeAlpacaStream;
import dev.marketdata.sources.provider.fake.FakeStreamServer.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live reader against {@link FakeAlpacaStream} and {@link FakeAlpacaServer}: updated bars after the original (in
 * the same frame and later), a slow-client error, the 406 of a connection dropped without a close frame waited out,
 * insufficient subscription, and close frames.
 */
class AlpacaLiveReaderTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant T0 =
            Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));

    private FakeAlpacaServer alpaca;
    private FakeAlpacaStream stream;
    private LiveReader reader;
    private final LiveTesting.Collecting out = new LiveTesting.Collecting();

    @BeforeEach
    void start() {
        alpaca = new FakeAlpacaServer();
        alpaca.addAsset("AAPL");
        stream = new FakeAlpacaStream();
    }

    @AfterEach
    void stop() {
        if (reader != null) {
            reader.close();
        }
        stream.close();
        alpaca.close();
    }

    private LiveReader start(LiveSettings live) {
        ProviderSettings rest = new ProviderSettings(
                alpaca.data().baseUrl(),
                Credentials.keyPair(FakeAlpacaServer.KEY_ID, FakeAlpacaServer.SECRET),
                List.of("AAPL"),
                "1m",
                Instant.EPOCH,
                Instant.parse("2100-01-01T00:00:00Z"),
                Map.of(AlpacaBarsProtocol.FEED_OPTION, "iex"),
                60_000,
                LiveTesting.rest(alpaca.data().baseUrl(), Credentials.none(), List.of("AAPL"))
                        .http());
        return reader(
                new AlpacaLiveProtocol(
                        new AlpacaBarsProtocol("iex", "raw", alpaca.trading().baseUrl())),
                rest,
                live,
                fresh("alpaca"));
    }

    /** The first connection after the first one that subscribed and is open. */
    private Connection latestSubscribed() {
        FakeAlpacaStream.waitFor(
                WAIT,
                () -> stream.connections().stream().skip(1).anyMatch(c -> c.subscribed() && !c.isClosed()),
                "a subscribed connection after the first");
        return stream.connections().stream()
                .skip(1)
                .filter(c -> c.subscribed() && !c.isClosed())
                .findFirst()
                .orElseThrow();
    }

    private static Instant at(int minute) {
        return T0.plus(Duration.ofMinutes(minute));
    }

    @Test
    void anUpdatedBarFollowsItsOriginalInTheSameFrameAndLater() throws Exception {
        reader = start(LiveTesting.live(stream.url(), 100, OverflowPolicy.BLOCK));
        Connection connection = stream.awaitSubscribed(0, WAIT);
        assertThat(connection.received())
                .containsExactly(
                        "{\"action\":\"auth\",\"key\":\"" + FakeAlpacaServer.KEY_ID + "\",\"secret\":\""
                                + FakeAlpacaServer.SECRET + "\"}",
                        "{\"action\":\"subscribe\",\"bars\":[\"AAPL\"],\"updatedBars\":[\"AAPL\"]}");
        connection.send(array(List.of(bar("iex", "AAPL", at(0), 0), updated("iex", "AAPL", at(0), 0, 5))));
        connection.send(array(List.of(bar("iex", "AAPL", at(1), 1))));
        connection.send(array(List.of(updated("iex", "AAPL", at(1), 1, 7))));
        pollUntil(reader, out, size(4));

        // In arrival order: the sink keeps the later of two records with one key, in one batch or across batches.
        assertThat(out.records)
                .extracting(ProviderItem::record)
                .containsExactly(
                        expectedMinuteBar("iex", "AAPL", at(0), 0), expectedUpdated("iex", "AAPL", at(0), 0, 5),
                        expectedMinuteBar("iex", "AAPL", at(1), 1), expectedUpdated("iex", "AAPL", at(1), 1, 7));
    }

    @Test
    void aSlowClientErrorReconnectsAndRepairsTheGapFromTheSameFeed() throws Exception {
        alpaca.addMinuteBars("iex", "AAPL", T0, 4);
        alpaca.addMinuteBars("sip", "AAPL", T0, 4);
        reader = start(LiveTesting.live(stream.url(), 100, OverflowPolicy.BLOCK));
        Connection first = stream.awaitSubscribed(0, WAIT);
        first.send(array(List.of(bar("iex", "AAPL", at(0), 0))));
        pollUntil(reader, out, size(1));
        first.send(FakeAlpacaStream.error(407, "slow client"));

        // The new connection may meet a 406 while the old one's close frame is on its way: the next one counts.
        latestSubscribed().send(array(List.of(bar("iex", "AAPL", at(4), 4))));
        pollUntil(reader, out, size(5));
        // Minute 0 again from REST with the same values: emitted once. IEX values, not SIP's.
        assertThat(out.records)
                .extracting(ProviderItem::record)
                .containsExactly(
                        expectedMinuteBar("iex", "AAPL", at(0), 0),
                        expectedMinuteBar("iex", "AAPL", at(1), 1),
                        expectedMinuteBar("iex", "AAPL", at(2), 2),
                        expectedMinuteBar("iex", "AAPL", at(3), 3),
                        expectedMinuteBar("iex", "AAPL", at(4), 4));
        assertThat(alpaca.data().requests())
                .allSatisfy(r -> assertThat(r.target()).contains("feed=iex"));
        stream.awaitClosed(first, WAIT);
        assertThat(first.closedCleanlyByClient()).isTrue();
    }

    @Test
    void after406ForADroppedConnectionItBacksOffPastTheLockoutAndCountsIt() throws Exception {
        stream.lockoutAfterDrop(Duration.ofMillis(600));
        reader = start(LiveTesting.live(stream.url(), 100, OverflowPolicy.BLOCK));
        Connection first = stream.awaitSubscribed(0, WAIT);
        first.drop(); // no close frame: Alpaca keeps it counted

        Connection last = latestSubscribed();
        last.send(array(List.of(bar("iex", "AAPL", at(0), 0))));
        pollUntil(reader, out, size(1));
        assertThat(stream.refusedForConnectionLimit()).isPositive();
        assertThat(reader.metrics().connectionLimitErrors.getCount()).isEqualTo(stream.refusedForConnectionLimit());
    }

    @Test
    void anInsufficientSubscriptionFailsWithAlpacasMessage() {
        stream.refuseNextAuth(409, "insufficient subscription");
        reader = start(LiveTesting.live(stream.url(), 100, OverflowPolicy.BLOCK));

        assertThatThrownBy(() -> pollUntil(reader, out, size(1)))
                .isInstanceOf(ProviderFatalException.class)
                .hasMessage("alpaca live: insufficient subscription: insufficient subscription (409)");
    }
}
