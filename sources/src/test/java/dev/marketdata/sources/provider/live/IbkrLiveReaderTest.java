package dev.marketdata.sources.provider.live;

import static dev.marketdata.sources.provider.fake.FakeIbkrServer.expectedMinuteBar;
import static dev.marketdata.sources.provider.fake.FakeIbkrStream.item;
import static dev.marketdata.sources.provider.live.LiveTesting.fresh;
import static dev.marketdata.sources.provider.live.LiveTesting.pollUntil;
import static dev.marketdata.sources.provider.live.LiveTesting.reader;
import static dev.marketdata.sources.provider.live.LiveTesting.size;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.sources.provider.Credentials;
import dev.marketdata.sources.provider.ProviderFatalException;
import dev.marketdata.sources.provider.ProviderItem;
import dev.marketdata.sources.provider.fake.FakeIbkrServer;
import dev.marketdata.sources.provider.fake.FakeIbkrStream;
import dev.marketdata.sources.provider.fake.FakeProviderServer;
import dev.marketdata.sources.provider.fake.FakeStreamServer.Connection;
import dev.marketdata.sources.provider.ibkr.IbkrBarsProtocol;
import dev.marketdata.sources.provider.ibkr.IbkrLiveProtocol;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live reader against {@link FakeIbkrStream} and {@link FakeIbkrServer}: streaming history of the contract the
 * lookup found, subscriptions renewed before the gateway lets them lapse silently, a lapsed one caught by the data
 * watchdog and repaired, a logged-out gateway.
 */
class IbkrLiveReaderTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant T0 =
            Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));
    private static final String AAPL = "265598";

    private FakeIbkrServer ibkr;
    private FakeIbkrStream stream;
    private LiveReader reader;
    private final LiveTesting.Collecting out = new LiveTesting.Collecting();

    @BeforeEach
    void start() {
        ibkr = new FakeIbkrServer();
        ibkr.addSearch("AAPL", FakeProviderServer.fixture("/provider/ibkr/search-aapl.json"));
        stream = new FakeIbkrStream();
    }

    @AfterEach
    void stop() {
        if (reader != null) {
            reader.close();
        }
        stream.close();
        ibkr.close();
    }

    /** Renewal, watchdog and heartbeat as given; the rest short. */
    private LiveReader start(Duration renewal, Duration dataTimeout) {
        LiveSettings live = new LiveSettings(
                stream.url(),
                100,
                OverflowPolicy.BLOCK,
                Duration.ofMillis(20),
                Duration.ofMillis(100),
                Duration.ofMillis(50),
                dataTimeout,
                true,
                Duration.ofMillis(200),
                Duration.ofSeconds(5),
                Duration.ofMinutes(1),
                renewal,
                null);
        return reader(
                new IbkrLiveProtocol(IbkrBarsProtocol.defaults()),
                LiveTesting.rest(ibkr.baseUrl(), Credentials.none(), List.of("AAPL")),
                live,
                fresh("ibkr"));
    }

    private static Instant at(int minute) {
        return T0.plus(Duration.ofMinutes(minute));
    }

    @Test
    void subscriptionsAreRenewedBeforeTheGatewayLetsThemLapse() throws Exception {
        stream.expireAfter(Duration.ofMillis(600));
        reader = start(Duration.ofMillis(200), Duration.ofMinutes(5));
        Connection connection = stream.awaitSubscribed(0, WAIT);
        assertThat(connection.received()).first().isEqualTo(IbkrLiveProtocol.subscription(AAPL));

        // Long past the first subscription's expiry: alive, because it was sent again meanwhile.
        FakeIbkrStream.waitFor(
                WAIT,
                () -> connection.received().stream()
                                .filter(f -> f.equals(IbkrLiveProtocol.subscription(AAPL)))
                                .count()
                        >= 6,
                "renewals");
        assertThat(stream.sendBars(connection, AAPL, item(at(0), 0), item(at(1), 1)))
                .isTrue();
        pollUntil(reader, out, size(2));

        assertThat(out.records)
                .extracting(ProviderItem::record)
                .containsExactly(expectedMinuteBar("AAPL", at(0), 0), expectedMinuteBar("AAPL", at(1), 1));
        assertThat(connection.received()).contains("tic");
        assertThat(stream.connections()).hasSize(1);
    }

    @Test
    void aSubscriptionThatLapsedSilentlyIsCaughtByTheWatchdogAndTheGapRepaired() throws Exception {
        ibkr.addMinuteBars(AAPL, T0, 3);
        stream.expireAfter(Duration.ofMillis(300));
        reader = start(Duration.ofHours(1), Duration.ofMillis(800));
        Connection first = stream.awaitSubscribed(0, WAIT);
        assertThat(stream.sendBars(first, AAPL, item(at(0), 0))).isTrue();
        pollUntil(reader, out, size(1));
        // The subscription lapses without a word: minutes 1 and 2 never reach the socket.
        FakeIbkrStream.waitFor(WAIT, () -> !stream.sendBars(first, AAPL, item(at(1), 1)), "the lapse");
        stream.sendBars(first, AAPL, item(at(2), 2));

        Connection second = stream.awaitSubscribed(1, WAIT);
        assertThat(stream.sendBars(second, AAPL, item(at(3), 3))).isTrue();
        pollUntil(reader, out, size(4));
        assertThat(out.records)
                .extracting(ProviderItem::record)
                .containsExactly(
                        expectedMinuteBar("AAPL", at(0), 0), expectedMinuteBar("AAPL", at(1), 1),
                        expectedMinuteBar("AAPL", at(2), 2), expectedMinuteBar("AAPL", at(3), 3));
        assertThat(reader.metrics().reconnects.getCount()).isEqualTo(1);
    }

    @Test
    void aGatewayWithoutABrokerageSessionFailsWithOneLine() {
        stream.loggedOut();
        reader = start(Duration.ofMinutes(8), Duration.ofMinutes(5));

        assertThatThrownBy(() -> pollUntil(reader, out, size(1)))
                .isInstanceOf(ProviderFatalException.class)
                .hasMessage("ibkr live: authentication failed: the gateway's brokerage session is not authenticated: "
                        + "log in through the gateway's page (sts)");
    }
}
