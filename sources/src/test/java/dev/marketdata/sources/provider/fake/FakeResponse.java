package dev.marketdata.sources.provider.fake;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One scripted answer of a {@link FakeProviderServer}.
 *
 * @param status HTTP status
 * @param headers response headers (Content-Type is set to JSON unless given)
 * @param body body bytes
 * @param delay wait before answering; {@link #hang()} waits until the server stops
 * @param truncateAt when non-negative, announce the whole length but send only this many body bytes, then cut the
 *     connection
 */
public record FakeResponse(int status, Map<String, String> headers, byte[] body, Duration delay, int truncateAt) {

    /** Long enough that the client's timeout fires first; the server interrupts it on stop. */
    static final Duration FOREVER = Duration.ofHours(1);

    public static FakeResponse json(int status, String body) {
        return new FakeResponse(status, Map.of(), body.getBytes(StandardCharsets.UTF_8), Duration.ZERO, -1);
    }

    public static FakeResponse ok(String body) {
        return json(200, body);
    }

    /** A response that never comes. */
    public static FakeResponse hang() {
        return json(200, "{}").delayedBy(FOREVER);
    }

    public FakeResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new FakeResponse(status, more, body, delay, truncateAt);
    }

    public FakeResponse delayedBy(Duration wait) {
        return new FakeResponse(status, headers, body, wait, truncateAt);
    }

    /** Sends only the first {@code bytes} of the body, with the full Content-Length, then closes. */
    public FakeResponse truncatedAt(int bytes) {
        return new FakeResponse(status, headers, body, delay, bytes);
    }
}
