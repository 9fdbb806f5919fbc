package dev.marketdata.sources.provider.live;

import static dev.marketdata.sources.provider.fake.FakePolygonServer.expectedMinuteBar;
import static dev.marketdata.sources.provider.fake.FakePolygonStream.am;
import static dev.marketdata.sources.provider.fake.FakePolygonStream.expectedLiveBar;
import static dev.marketdata.sources.provider.fake.FakePolygonStream.frame;
import static dev.marketdata.sources.provider.live.LiveTesting.fresh;
import static dev.marketdata.sources.provider.live.LiveTesting.live;
import static dev.marketdata.sources.provider.live.LiveTesting.pollUntil;
import static dev.marketdata.sources.provider.live.LiveTesting.reader;
import static dev.marketdata.sources.provider.live.LiveTesting.rest;
import static dev.marketdata.sources.provider.live.LiveTesting.size;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.Credentials;
import dev.marketdata.sources.provider.ProviderFatalException;
import dev.marketdata.sources.provider.ProviderItem;
import dev.marketdata.sources.provider.ProviderSettings;
import dev.marketdata.sources.provider.RejectedItem;
import dev.marketdata.sources.provider.fake.FakePolygonServer;
import dev.marketdata.sources.provider.fake.FakePolygonStream;
import dev.marketdata.sources.provider.fake.FakeStreamServer.Connection;
import dev.marketdata.sources.provider.polygon.PolygonLiveProtocol;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live reader against {@link FakePolygonStream} and {@link FakePolygonServer}, the test thread acting as the
 * task thread: gap repair after a drop and after a restore (exact records, in order), a malformed frame, the
 * overflow policies with exact counts, control messages by code, the watchdog, close frames.
 */
class PolygonLiveReaderTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Half an hour ago, on a minute: closed long enough that no window is provisional. */
    private static final Instant T0 =
            Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));

    private FakePolygonServer polygon;
    private FakePolygonStream stream;
    private LiveReader reader;
    private final LiveTesting.Collecting out = new LiveTesting.Collecting();

    @BeforeEach
    void start() {
        polygon = new FakePolygonServer();
        polygon.addBars("AAPL"); // known, no bars unless a test adds them
        stream = new FakePolygonStream();
    }

    @AfterEach
    void stop() {
        if (reader != null) {
            reader.close();
        }
        stream.close();
        polygon.close();
    }

    private ProviderSettings rest(String... tickers) {
        return LiveTesting.rest(polygon.baseUrl(), Credentials.key(FakePolygonServer.KEY), List.of(tickers));
    }

    private static Instant at(int minute) {
        return T0.plus(Duration.ofMinutes(minute));
    }

    private static List<Bar> bars(List<ProviderItem<Bar>> records) {
        return records.stream().map(ProviderItem::record).toList();
    }

    @Test
    void aDroppedConnectionIsRepairedFromRestBeforeTheNewLiveBarsAndEachBarIsEmittedOnce() throws Exception {
        polygon.addMinuteBars("AAPL", T0, 6); // REST holds minutes 0..5
        reader = reader(
                new PolygonLiveProtocol(),
                rest("AAPL"),
                live(stream.url(), 100, OverflowPolicy.BLOCK),
                fresh("polygon"));

        Connection first = stream.awaitSubscribed(0, WAIT);
        first.send(frame(am("AAPL", at(0), 0, 0), am("AAPL", at(1), 1, 0)));
        pollUntil(reader, out, size(2));
        first.drop(); // minutes 2..4 are published while the socket is down

        Connection second = stream.awaitSubscribed(1, WAIT);
        // Minute 5 arrives live on the new connection with another value than REST has: the live one comes later.
        second.send(frame(am("AAPL", at(5), 5, 7), am("AAPL", at(6), 6, 0)));
        pollUntil(reader, out, size(9));

        assertThat(bars(out.records))
                .containsExactly(
                        expectedLiveBar("AAPL", at(0), 0, 0),
                        expectedLiveBar("AAPL", at(1), 1, 0),
                        // Repair from the last bar received (minute 1, inclusive): REST's minute 1 carries a trade
                        // count the
                        // AM event has not, so it is a later, different value and replaces it.
                        expectedMinuteBar("AAPL", at(1), 1),
                        expectedMinuteBar("AAPL", at(2), 2),
                        expectedMinuteBar("AAPL", at(3), 3),
                        expectedMinuteBar("AAPL", at(4), 4),
                        expectedMinuteBar("AAPL", at(5), 5),
                        expectedLiveBar("AAPL", at(5), 5, 7),
                        expectedLiveBar("AAPL", at(6), 6, 0));
        assertThat(stream.connections()).hasSize(2);
        assertThat(reader.metrics().reconnects.getCount()).isEqualTo(1);
        assertThat(reader.metrics().barsRepaired.getCount()).isEqualTo(5);
        // None at the first connect (no bar can have closed since the job started); at the reconnect, requests for
        // the window from the last bar received (minute 1). The counter counts exactly the requests the server saw.
        List<String> repairs = polygon.http().requests().stream()
                .map(r -> r.path())
                .filter(p -> p.startsWith("/v2/aggs/"))
                .toList();
        assertThat(repairs).isNotEmpty().allSatisfy(p -> assertThat(p)
                .startsWith("/v2/aggs/ticker/AAPL/range/1/minute/" + at(1).toEpochMilli() + "/"));
        assertThat(reader.metrics().gapRepairRequests.getCount())
                .as("%s", polygon.http().requests())
                .isEqualTo(repairs.size());
    }

    @Test
    void aRestoredReaderRepairsFromItsCheckpointAndEmitsOnlyWhatItHadNot() throws Exception {
        polygon.addMinuteBars("AAPL", T0, 5);
        reader = reader(
                new PolygonLiveProtocol(),
                rest("AAPL"),
                live(stream.url(), 100, OverflowPolicy.BLOCK),
                fresh("polygon"));
        stream.awaitSubscribed(0, WAIT)
                .send(frame(am("AAPL", at(0), 0, 0), am("AAPL", at(1), 1, 0), am("AAPL", at(2), 2, 0)));
        pollUntil(reader, out, size(3));
        List<LiveSplit> checkpoint = reader.snapshotState(1);
        assertThat(checkpoint).containsExactly(new LiveSplit("polygon", Map.of("AAPL", at(2)), true));
        reader.close();
        stream.awaitClosed(stream.connections().get(0), WAIT);
        assertThat(stream.connections().get(0).closedCleanlyByClient()).isTrue();

        LiveTesting.Collecting restored = new LiveTesting.Collecting();
        reader = reader(
                new PolygonLiveProtocol(),
                rest("AAPL"),
                live(stream.url(), 100, OverflowPolicy.BLOCK),
                checkpoint.get(0));
        stream.awaitSubscribed(1, WAIT);
        pollUntil(reader, restored, size(5));
        // From two minutes before the last bar emitted (provisional windows), as REST has them now.
        assertThat(bars(restored.records))
                .containsExactly(
                        expectedMinuteBar("AAPL", at(0), 0),
                        expectedMinuteBar("AAPL", at(1), 1),
                        expectedMinuteBar("AAPL", at(2), 2),
                        expectedMinuteBar("AAPL", at(3), 3),
                        expectedMinuteBar("AAPL", at(4), 4));
    }

    @Test
    void aMalformedFrameIsDeadLetteredAndTheStreamGoesOn() throws Exception {
        reader = reader(
                new PolygonLiveProtocol(),
                rest("AAPL"),
                live(stream.url(), 100, OverflowPolicy.BLOCK),
                fresh("polygon"));
        Connection connection = stream.awaitSubscribed(0, WAIT);
        connection.send("{not json");
        connection.send(frame("{\"ev\":\"AM\",\"sym\":\"AAPL\",\"o\":1}", am("AAPL", at(0), 0, 0)));
        pollUntil(reader, out, size(3));

        String origin = "polygon ws " + stream.url();
        assertThat(out.records)
                .containsExactly(
                        new ProviderItem<Bar>(
                                null,
                                null,
                                RejectedItem.MALFORMED_BODY,
                                "a stream frame that is not a JSON array of events",
                                "{not json",
                                origin),
                        new ProviderItem<Bar>(
                                null,
                                "AAPL",
                                RejectedItem.MISSING_FIELD,
                                "required field s is missing",
                                "{\"ev\":\"AM\",\"sym\":\"AAPL\",\"o\":1}",
                                origin),
                        ProviderItem.of(expectedLiveBar("AAPL", at(0), 0, 0), "AAPL"));
        assertThat(stream.connections()).hasSize(1);
    }

    @Test
    void dropOldestDeadLettersExactlyTheOldestRecordsOfABurst() throws Exception {
        reader = reader(
                new PolygonLiveProtocol(),
                rest("AAPL"),
                live(stream.url(), 5, OverflowPolicy.DROP_OLDEST),
                fresh("polygon"));
        String[] burst = new String[8];
        for (int i = 0; i < 8; i++) {
            burst[i] = am("AAPL", at(i), i, 0);
        }
        stream.awaitSubscribed(0, WAIT).send(frame(burst));
        FakePolygonStream.waitFor(WAIT, () -> reader.metrics().barsStreamed.getCount() == 8, "the burst");
        pollUntil(reader, out, size(8));

        assertThat(out.records)
                .extracting(ProviderItem::reason)
                .containsExactly("OVERFLOW", "OVERFLOW", "OVERFLOW", null, null, null, null, null);
        assertThat(out.records)
                .extracting(r -> r.record().ts())
                .containsExactly(at(0), at(1), at(2), at(3), at(4), at(5), at(6), at(7));
        assertThat(out.records.get(0).message())
                .isEqualTo("dropped by --overflow drop-oldest: the live buffer of 5 records (--live-buffer) was full");
        assertThat(reader.metrics().dropped.getCount()).isEqualTo(3);
    }

    @Test
    void blockReadsNoFurtherWhileFullAndLosesNothing() throws Exception {
        reader = reader(
                new PolygonLiveProtocol(), rest("AAPL"), live(stream.url(), 5, OverflowPolicy.BLOCK), fresh("polygon"));
        Connection connection = stream.awaitSubscribed(0, WAIT);
        for (int f = 0; f < 4; f++) {
            connection.send(frame(
                    am("AAPL", at(3 * f), 3 * f, 0),
                    am("AAPL", at(3 * f + 1), 3 * f + 1, 0),
                    am("AAPL", at(3 * f + 2), 3 * f + 2, 0)));
        }
        // Two frames fill the buffer (the second overfills it by the frame in hand); the rest wait in the socket.
        FakePolygonStream.waitFor(WAIT, () -> reader.metrics().barsStreamed.getCount() == 6, "two frames");
        pollUntil(reader, out, size(12));

        assertThat(out.records).extracting(ProviderItem::reason).containsOnlyNulls();
        assertThat(out.records)
                .extracting(r -> r.record().ts())
                .containsExactly(at(0), at(1), at(2), at(3), at(4), at(5), at(6), at(7), at(8), at(9), at(10), at(11));
        assertThat(reader.metrics().dropped.getCount()).isZero();
    }

    @Test
    void failStopsTheJobWithOneLineNamingTheBufferSize() throws Exception {
        reader = reader(
                new PolygonLiveProtocol(), rest("AAPL"), live(stream.url(), 2, OverflowPolicy.FAIL), fresh("polygon"));
        stream.awaitSubscribed(0, WAIT)
                .send(frame(am("AAPL", at(0), 0, 0), am("AAPL", at(1), 1, 0), am("AAPL", at(2), 2, 0)));
        // Not polled meanwhile: the buffer holds two when the third comes.
        FakePolygonStream.waitFor(WAIT, () -> reader.metrics().barsStreamed.getCount() == 3, "the burst");

        assertThatThrownBy(() -> pollUntil(reader, out, size(100)))
                .isInstanceOf(LiveOverflowException.class)
                .hasMessage("the live buffer of 2 records (--live-buffer) is full and --overflow is fail: the stream "
                        + "delivered faster than the job wrote");
    }

    @Test
    void aRefusedKeyFailsWithOneLineWithoutTheKey() {
        reader = reader(
                new PolygonLiveProtocol(),
                LiveTesting.rest(polygon.baseUrl(), Credentials.key(FakePolygonServer.KEY), List.of("AAPL")),
                live(stream.url(), 10, OverflowPolicy.BLOCK),
                fresh("polygon"));
        stream.refuseNextAuth("auth_failed");

        assertThatThrownBy(() -> pollUntil(reader, out, size(1)))
                .isInstanceOf(ProviderFatalException.class)
                .hasMessage("polygon live: authentication failed: refused by the test (auth_failed)")
                .hasMessageNotContaining(FakePolygonServer.KEY);
        assertThat(stream.connections()).hasSize(1);
    }

    @Test
    void theConnectionLimitIsWaitedOutAndCounted() throws Exception {
        stream.refuseNextAuth("max_connections");
        reader = reader(
                new PolygonLiveProtocol(),
                rest("AAPL"),
                live(stream.url(), 10, OverflowPolicy.BLOCK),
                fresh("polygon"));

        stream.awaitSubscribed(1, WAIT).send(frame(am("AAPL", at(0), 0, 0)));
        pollUntil(reader, out, size(1));
        assertThat(reader.metrics().connectionLimitErrors.getCount()).isEqualTo(1);
        assertThat(reader.metrics().reconnects.getCount()).isEqualTo(1);
    }

    @Test
    void theWatchdogReconnectsASocketThatAnswersPingsButDeliversNoBarAndClosesItWithACloseFrame() throws Exception {
        LiveSettings quiet = new LiveSettings(
                stream.url(),
                10,
                OverflowPolicy.BLOCK,
                Duration.ofMillis(20),
                Duration.ofMillis(100),
                Duration.ofMillis(50),
                Duration.ofMillis(400),
                true,
                Duration.ofMillis(100),
                Duration.ofSeconds(5),
                Duration.ofMinutes(1),
                Duration.ofMinutes(8),
                null);
        reader = reader(new PolygonLiveProtocol(), rest("AAPL"), quiet, fresh("polygon"));

        Connection silent = stream.awaitSubscribed(0, WAIT);
        Connection next = stream.awaitSubscribed(1, WAIT);
        stream.awaitClosed(silent, WAIT);
        assertThat(silent.closedCleanlyByClient()).isTrue();
        next.send(frame(am("AAPL", at(0), 0, 0)));
        pollUntil(reader, out, size(1));
        assertThat(reader.metrics().reconnects.getCount()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void backfillFromThenStreamsWithNoGapAndNoRepeatAtTheHandOver() throws Exception {
        polygon.addMinuteBars("AAPL", T0, 4);
        LiveSettings settings = live(stream.url(), 100, OverflowPolicy.BLOCK);
        settings = new LiveSettings(
                settings.webSocketUrl(),
                100,
                OverflowPolicy.BLOCK,
                settings.initialBackoff(),
                settings.maxBackoff(),
                settings.connectionLimitBackoff(),
                settings.dataTimeout(),
                true,
                settings.heartbeat(),
                settings.ackTimeout(),
                settings.provisional(),
                settings.renewal(),
                T0);
        reader = reader(
                new PolygonLiveProtocol(), rest("AAPL"), settings, new LiveSplit("polygon", Map.of("AAPL", T0), false));
        // The stream repeats the last backfilled minute with the same values REST has, then goes on.
        Connection connection = stream.awaitSubscribed(0, WAIT);
        pollUntil(reader, out, size(4));
        connection.send(frame(am("AAPL", at(4), 4, 0)));
        pollUntil(reader, out, size(5));

        assertThat(bars(out.records))
                .containsExactly(
                        expectedMinuteBar("AAPL", at(0), 0),
                        expectedMinuteBar("AAPL", at(1), 1),
                        expectedMinuteBar("AAPL", at(2), 2),
                        expectedMinuteBar("AAPL", at(3), 3),
                        expectedLiveBar("AAPL", at(4), 4, 0));
    }

    @Test
    void anotherClientWithTheKeyTakesTheConnectionOverAndTheReaderWaitsAndComesBack() throws Exception {
        reader = reader(
                new PolygonLiveProtocol(),
                rest("AAPL"),
                live(stream.url(), 10, OverflowPolicy.BLOCK),
                fresh("polygon"));
        Connection ours = stream.awaitSubscribed(0, WAIT);

        // Another client authenticates with the same key: Polygon closes the oldest connection, ours.
        java.net.http.WebSocket other = java.net.http.HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(java.net.URI.create(stream.url()), new java.net.http.WebSocket.Listener() {})
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        other.sendText("{\"action\":\"auth\",\"params\":\"" + FakePolygonServer.KEY + "\"}", true)
                .get();
        stream.awaitClosed(ours, WAIT);
        other.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done").get();

        // The reader counts it, backs off, and takes the stream back.
        Connection back = stream.awaitSubscribed(2, WAIT);
        back.send(frame(am("AAPL", at(0), 0, 0)));
        pollUntil(reader, out, size(1));
        assertThat(reader.metrics().connectionLimitErrors.getCount()).isEqualTo(1);
    }
}
