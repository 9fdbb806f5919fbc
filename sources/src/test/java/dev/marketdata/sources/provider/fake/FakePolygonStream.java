package dev.marketdata.sources.provider.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketdata.sources.model.Bar;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * A fake Polygon (Massive) stocks stream speaking providers.md section 1.2: greets with status {@code connected},
 * accepts {@code {"action":"auth","params":}}{@link FakePolygonServer#KEY} ({@code auth_success}, else
 * {@code auth_failed} and a close), acknowledges each {@code subscribe} parameter with a {@code success} status
 * ({@code subscribed to: AM.X}), and, as Polygon does past the connection limit, sends {@code max_connections} to
 * the <em>oldest</em> open connection and closes it when another one authenticates. Scripted per test:
 * {@link #refuseNextAuth} answers the next auths with another status; data frames are sent by the test on the
 * connection it chooses ({@link #am} builds an {@code AM} event).
 */
public final class FakePolygonStream extends FakeStreamServer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Deque<String> authAnswers = new ArrayDeque<>();

    public FakePolygonStream() {
        super("/stocks");
    }

    /** Answers the next auth with status {@code status} (e.g. {@code max_connections}) and closes that connection. */
    public synchronized void refuseNextAuth(String status) {
        authAnswers.add(status);
    }

    @Override
    protected void onOpen(Connection connection) {
        connection.send(status("connected", "Connected Successfully"));
    }

    @Override
    protected void onText(Connection connection, String frame) {
        JsonNode message;
        try {
            message = JSON.readTree(frame);
        } catch (IOException e) {
            connection.send(status("error", "invalid JSON"));
            return;
        }
        String action = message.path("action").asText();
        String params = message.path("params").asText();
        if (action.equals("auth")) {
            String refused;
            synchronized (this) {
                refused = authAnswers.poll();
            }
            if (refused != null) {
                connection.send(status(
                        refused,
                        refused.equals("max_connections")
                                ? "Maximum number of connections exceeded."
                                : "refused by the test"));
                connection.close(1008, refused);
            } else if (!FakePolygonServer.KEY.equals(params)) {
                connection.send(status("auth_failed", "authentication failed"));
                connection.close(1008, "auth_failed");
            } else {
                for (Connection older : connections()) {
                    if (older != connection && !older.isClosed()) {
                        older.send(status("max_connections", "Maximum number of connections exceeded."));
                        older.close(1008, "max_connections");
                    }
                }
                connection.send(status("auth_success", "authenticated"));
            }
        } else if (action.equals("subscribe")) {
            for (String param : params.split(",")) {
                connection.send(status("success", "subscribed to: " + param));
            }
            connection.markSubscribed();
        }
    }

    public static String status(String status, String message) {
        return "[{\"ev\":\"status\",\"status\":\"" + status + "\",\"message\":\"" + message + "\"}]";
    }

    /**
     * The {@code AM} event of the {@code i}-th generated bar of {@code ticker} at {@code ts}: the prices of
     * {@link FakePolygonServer#minuteBar}, with {@code volumeDelta} added to its volume (0: the same bar as REST
     * has; else a different value of the same minute).
     */
    public static String am(String ticker, Instant ts, int i, int volumeDelta) {
        Bar bar = FakePolygonServer.expectedMinuteBar(ticker, ts, i);
        return String.format(
                Locale.ROOT,
                "{\"ev\":\"AM\",\"sym\":\"%s\",\"v\":%d,\"av\":%d,\"op\":%s,\"vw\":%s,"
                        + "\"o\":%s,\"c\":%s,\"h\":%s,\"l\":%s,\"a\":%s,\"z\":7,\"s\":%d,\"e\":%d}",
                ticker,
                (long) bar.volume() + volumeDelta,
                100000 + i,
                num(bar.open()),
                num(bar.vwap()),
                num(bar.open()),
                num(bar.close()),
                num(bar.high()),
                num(bar.low()),
                num(bar.vwap()),
                ts.toEpochMilli(),
                ts.toEpochMilli() + 60_000);
    }

    /** The bar the job stores from {@link #am} (an {@code AM} event has no trade count). */
    public static Bar expectedLiveBar(String ticker, Instant ts, int i, int volumeDelta) {
        Bar bar = FakePolygonServer.expectedMinuteBar(ticker, ts, i);
        return new Bar(
                ticker,
                "1m",
                ts,
                bar.open(),
                bar.high(),
                bar.low(),
                bar.close(),
                bar.volume() + volumeDelta,
                bar.vwap(),
                null,
                "polygon");
    }

    /** One frame holding the given events. */
    public static String frame(String... events) {
        return array(List.of(events));
    }

    private static String num(double d) {
        return Double.toString(d);
    }
}
