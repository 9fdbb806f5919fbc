package dev.marketdata.sources.provider.live;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How a live source talks to its provider's stream, besides the REST settings it shares with the backfill.
 *
 * @param webSocketUrl e.g. {@code wss://socket.massive.com/stocks}; carries no credentials
 * @param bufferCapacity records the buffer between the socket and the reader holds ({@code --live-buffer})
 * @param overflow what happens when it is full ({@code --overflow})
 * @param initialBackoff first wait before a reconnect; doubles with every failed attempt, with jitter
 * @param maxBackoff the longest wait before a reconnect
 * @param connectionLimitBackoff the first wait after the provider refused a connection over the account's limit
 *     (Alpaca keeps an uncleanly dropped socket counted for about 90 s); doubles while it repeats
 * @param dataTimeout a subscribed socket that delivers no bar for this long is treated as dead (the data watchdog)
 * @param watchdogOutsideSessions whether the watchdog also runs outside the regular New York session (off: quiet
 *     nights and weekends are normal)
 * @param heartbeat interval of WebSocket pings (and the protocol's own heartbeat frames); a socket that answers
 *     nothing for three intervals is treated as dead
 * @param ackTimeout the longest a connection may take from opening to every subscription acknowledged
 * @param provisional REST bars of windows that closed less than this long before they were fetched may still
 *     change: they are fetched again once it has passed (later values win)
 * @param renewal interval at which the protocol's renewal frames are sent (IBKR: before its 10-minute expiry)
 * @param from when set ({@code --from}), the first connection backfills every ticker from this instant (UTC)
 */
public record LiveSettings(
        String webSocketUrl,
        int bufferCapacity,
        OverflowPolicy overflow,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration connectionLimitBackoff,
        Duration dataTimeout,
        boolean watchdogOutsideSessions,
        Duration heartbeat,
        Duration ackTimeout,
        Duration provisional,
        Duration renewal,
        Instant from)
        implements Serializable {

    public LiveSettings {
        Objects.requireNonNull(webSocketUrl, "webSocketUrl");
        Objects.requireNonNull(overflow, "overflow");
        if (bufferCapacity <= 0) {
            throw new IllegalArgumentException("the live buffer must hold at least one record, got " + bufferCapacity);
        }
        for (Duration d : new Duration[] {
            initialBackoff, maxBackoff, connectionLimitBackoff, dataTimeout, heartbeat, ackTimeout, provisional, renewal
        }) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("live stream durations must be positive, got " + d);
            }
        }
    }

    /** The defaults of the options, for {@code webSocketUrl}. */
    public static LiveSettings defaults(String webSocketUrl) {
        return new LiveSettings(
                webSocketUrl,
                10_000,
                OverflowPolicy.BLOCK,
                Duration.ofSeconds(1),
                Duration.ofSeconds(60),
                Duration.ofSeconds(30),
                Duration.ofMinutes(5),
                false,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofMinutes(1),
                Duration.ofMinutes(8),
                null);
    }

    /** The backfill start of the first connection, when {@code --from} was given. */
    public Optional<Instant> backfillFrom() {
        return Optional.ofNullable(from);
    }
}
