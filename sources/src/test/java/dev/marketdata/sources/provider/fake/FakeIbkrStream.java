package dev.marketdata.sources.provider.fake;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake IBKR Client Portal gateway WebSocket (providers.md section 3.1) on {@code /v1/api/ws}: greets with
 * {@code {"topic":"sts","args":{"authenticated":true}}} (or {@code false} after {@link #loggedOut}); answers each
 * {@code smh+<conid>+{...}} with a first {@code smh+<conid>} message (no bars yet), and from then on
 * {@link #sendBars} reaches the connection while its subscription lives. As the gateway does since 2026-04-14, a
 * subscription ends {@link #expireAfter} after it was last sent, without a word: bars for it are then dropped
 * (counted by {@link #dropped}). {@code tic} heartbeats are recorded like every frame.
 */
public final class FakeIbkrStream extends FakeStreamServer {

    /** conid to when its subscription was last sent (nanoTime), per connection index. */
    private final Map<Integer, Map<String, Long>> subscriptions = new ConcurrentHashMap<>();

    private volatile Duration expiry = Duration.ofDays(1);
    private volatile boolean authenticated = true;
    private final AtomicInteger dropped = new AtomicInteger();

    public FakeIbkrStream() {
        super("/v1/api/ws");
    }

    /** Subscriptions end this long after they were last sent. */
    public void expireAfter(Duration expiry) {
        this.expiry = expiry;
    }

    /** New connections are told the brokerage session is gone. */
    public void loggedOut() {
        authenticated = false;
    }

    /** Bars sent for subscriptions that had lapsed. */
    public int dropped() {
        return dropped.get();
    }

    @Override
    protected void onOpen(Connection connection) {
        connection.send("{\"topic\":\"sts\",\"args\":{\"authenticated\":" + authenticated + "}}");
    }

    @Override
    protected void onText(Connection connection, String frame) {
        if (frame.startsWith("smh+")) {
            String conid = frame.substring(4, frame.indexOf('+', 4));
            subscriptions
                    .computeIfAbsent(connection.index(), i -> new ConcurrentHashMap<>())
                    .put(conid, System.nanoTime());
            connection.send("{\"topic\":\"smh+" + conid + "\",\"serverId\":\"sv" + conid + "\",\"volumeFactor\":1,"
                    + "\"data\":[]}");
            if (subscriptions.get(connection.index()).size() >= 1) {
                connection.markSubscribed();
            }
        }
    }

    /**
     * Sends {@code items} ({@link FakeIbkrServer#minuteItem}) of {@code conid} on {@code connection} if its
     * subscription there is alive; returns whether it was.
     */
    public boolean sendBars(Connection connection, String conid, String... items) {
        Long since = subscriptions.getOrDefault(connection.index(), Map.of()).get(conid);
        if (since == null || System.nanoTime() - since > expiry.toNanos()) {
            dropped.incrementAndGet();
            return false;
        }
        connection.send("{\"topic\":\"smh+" + conid + "\",\"serverId\":\"sv" + conid + "\",\"volumeFactor\":1,"
                + "\"data\":[" + String.join(",", items) + "]}");
        return true;
    }

    /** The item of the {@code i}-th generated minute at {@code ts}, as the history endpoint has it. */
    public static String item(Instant ts, int i) {
        return FakeIbkrServer.minuteItem(ts, i, 1);
    }
}
