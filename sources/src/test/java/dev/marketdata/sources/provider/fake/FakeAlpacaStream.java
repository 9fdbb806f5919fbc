package dev.marketdata.sources.provider.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketdata.sources.model.Bar;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A fake Alpaca stock stream speaking providers.md section 2.2 on {@code /v2/iex}: greets with
 * {@code success/connected}; {@code auth} with {@link FakeAlpacaServer#KEY_ID} and {@link FakeAlpacaServer#SECRET}
 * gets {@code success/authenticated}, another key {@code error 402}; {@code subscribe} gets the {@code subscription}
 * with the full current set. One connection per account, as Alpaca allows: an auth while another authenticated
 * connection is open gets {@code error 406 connection limit exceeded} and is closed, and so does every auth during
 * the {@link #lockoutAfterDrop} after a connection ended without a close frame from the client (Alpaca keeps such a
 * dead one counted for about 90 s). {@link #refuseNextAuth} scripts other errors.
 */
public final class FakeAlpacaStream extends FakeStreamServer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Deque<String> authErrors = new ArrayDeque<>();
    private volatile Duration lockout = Duration.ZERO;
    private volatile long busyUntilNanos = System.nanoTime();
    private volatile int refusedForLimit;

    public FakeAlpacaStream() {
        super("/v2/iex");
    }

    /** After a connection ends without the client's close frame, refuse auths with 406 for {@code lockout}. */
    public void lockoutAfterDrop(Duration lockout) {
        this.lockout = lockout;
    }

    /** Answers the next auth with {@code [{"T":"error","code":code,"msg":msg}]} and closes that connection. */
    public synchronized void refuseNextAuth(int code, String msg) {
        authErrors.add(error(code, msg));
    }

    /** How many auths were refused with 406. */
    public int refusedForConnectionLimit() {
        return refusedForLimit;
    }

    @Override
    protected void onOpen(Connection connection) {
        connection.send("[{\"T\":\"success\",\"msg\":\"connected\"}]");
    }

    @Override
    protected void onClosed(Connection connection) {
        if (!connection.closedCleanlyByClient() && connection.subscribed()) {
            busyUntilNanos = System.nanoTime() + lockout.toNanos();
        }
    }

    @Override
    protected void onText(Connection connection, String frame) {
        JsonNode message;
        try {
            message = JSON.readTree(frame);
        } catch (IOException e) {
            connection.send(error(400, "invalid syntax"));
            return;
        }
        String action = message.path("action").asText();
        if (action.equals("auth")) {
            String scripted;
            synchronized (this) {
                scripted = authErrors.poll();
            }
            boolean otherOpen =
                    connections().stream().anyMatch(c -> c != connection && c.subscribed() && !c.isClosed());
            if (scripted != null) {
                connection.send(scripted);
                connection.close(1008, "refused");
            } else if (otherOpen || System.nanoTime() - busyUntilNanos < 0) {
                refusedForLimit++;
                connection.send(error(406, "connection limit exceeded"));
                connection.close(1008, "connection limit exceeded");
            } else if (!FakeAlpacaServer.KEY_ID.equals(message.path("key").asText())
                    || !FakeAlpacaServer.SECRET.equals(message.path("secret").asText())) {
                connection.send(error(402, "auth failed"));
                connection.close(1008, "auth failed");
            } else {
                connection.send("[{\"T\":\"success\",\"msg\":\"authenticated\"}]");
            }
        } else if (action.equals("subscribe")) {
            connection.send("[{\"T\":\"subscription\",\"trades\":[],\"quotes\":[],\"bars\":" + message.get("bars")
                    + ",\"updatedBars\":" + message.path("updatedBars") + ",\"dailyBars\":[],\"statuses\":[]}]");
            connection.markSubscribed();
        }
    }

    public static String error(int code, String msg) {
        return "[{\"T\":\"error\",\"code\":" + code + ",\"msg\":\"" + msg + "\"}]";
    }

    /** The {@code b} message of {@link FakeAlpacaServer#minuteBar} (the same values REST serves). */
    public static String bar(String feed, String symbol, Instant ts, int i) {
        return "{\"T\":\"b\",\"S\":\"" + symbol + "\","
                + FakeAlpacaServer.minuteBar(feed, symbol, ts, i).substring(1);
    }

    /** An updated bar {@code u} of the same minute with {@code volumeDelta} more volume. */
    public static String updated(String feed, String symbol, Instant ts, int i, int volumeDelta) {
        Bar bar = expectedUpdated(feed, symbol, ts, i, volumeDelta);
        return "{\"T\":\"u\",\"S\":\"" + symbol + "\",\"t\":\"" + ts + "\",\"o\":" + bar.open() + ",\"h\":" + bar.high()
                + ",\"l\":" + bar.low() + ",\"c\":" + bar.close() + ",\"v\":" + (long) bar.volume()
                + (bar.trades() == null ? "" : ",\"n\":" + bar.trades() + ",\"vw\":" + bar.vwap()) + "}";
    }

    /** The bar {@link #updated} describes. */
    public static Bar expectedUpdated(String feed, String symbol, Instant ts, int i, int volumeDelta) {
        Bar bar = FakeAlpacaServer.expectedMinuteBar(feed, symbol, ts, i);
        return new Bar(
                symbol,
                "1m",
                ts,
                bar.open(),
                bar.high(),
                bar.low(),
                bar.close(),
                bar.volume() + volumeDelta,
                bar.vwap(),
                bar.trades(),
                "alpaca");
    }
}
