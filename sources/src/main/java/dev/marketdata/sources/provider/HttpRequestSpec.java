package dev.marketdata.sources.provider;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP request as a protocol describes it, before authentication: the method, the path and query relative to
 * the configured base URL (so a proxy or a test server base keeps working, and a key never goes to another host),
 * and the headers. Credentials are never part of it: {@link BarsProtocol#authenticate} adds them to the outgoing
 * request's headers only. Should a provider ever require its key in the query, {@link #redacted()} still masks
 * it, and every message and dead letter uses {@link #redacted()} only.
 *
 * @param method {@code GET} or {@code POST}
 * @param pathAndQuery e.g. {@code /v2/aggs/ticker/AAPL/range/1/minute/1709269200000/1709355599999?adjusted=true};
 *     starts with {@code /}, already percent-encoded
 * @param headers extra request headers (not the credentials), e.g. {@code Accept}
 */
public record HttpRequestSpec(String method, String pathAndQuery, Map<String, String> headers) {

    /** Query parameters whose values {@link #redacted()} masks (compared case-insensitively). */
    public static final Set<String> SECRET_PARAMETERS = Set.of(
            "apikey", "api_key", "key", "secret", "token", "access_token", "apca-api-key-id", "apca-api-secret-key");

    private static final Pattern PARAMETER = Pattern.compile("([?&])([^=&#]+)=([^&#]*)");

    public HttpRequestSpec {
        if (!pathAndQuery.startsWith("/")) {
            throw new IllegalArgumentException("a request target is a path relative to the base URL");
        }
        headers = Map.copyOf(headers);
    }

    public static HttpRequestSpec get(String pathAndQuery) {
        return new HttpRequestSpec("GET", pathAndQuery, Map.of("Accept", "application/json"));
    }

    public HttpRequestSpec withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpRequestSpec(method, pathAndQuery, more);
    }

    /** The path without the query. */
    public String path() {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }

    /** Path and query with the values of {@link #SECRET_PARAMETERS} replaced by {@code ***}: safe to log. */
    public String redacted() {
        return redact(pathAndQuery);
    }

    /** {@code target} (a path and query, or a whole URL) with secret query values masked. */
    public static String redact(String target) {
        Matcher m = PARAMETER.matcher(target);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(2);
            String replacement = SECRET_PARAMETERS.contains(name.toLowerCase(java.util.Locale.ROOT))
                    ? m.group(1) + name + "=***"
                    : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    @Override
    public String toString() {
        return method + " " + redacted();
    }
}
