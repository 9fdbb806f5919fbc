package dev.marketdata.sources.provider.fake;

import java.util.List;
import java.util.Map;

/**
 * A request a {@link FakeProviderServer} received.
 *
 * @param method e.g. {@code GET}
 * @param target raw path and query, e.g. {@code /v2/aggs/ticker/AAPL/range/1/minute/1/2?adjusted=true}
 * @param headers request headers, names lower-case
 * @param receivedAtNanos {@link System#nanoTime()} when it arrived
 */
public record RecordedRequest(String method, String target, Map<String, List<String>> headers, long receivedAtNanos) {

    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
