package dev.marketdata.bench;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parts of a {@code jdbc:postgresql://host:port/db?k=v} URL the bench needs: psql's flags, another database. */
record PgUrl(String host, int port, String database, Map<String, String> params) {

    static PgUrl parse(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("not a jdbc:postgresql://host:port/db URL: " + jdbcUrl);
        }
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        Map<String, String> params = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String kv : uri.getRawQuery().split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    params.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        return new PgUrl(
                uri.getHost() == null ? "127.0.0.1" : uri.getHost(),
                uri.getPort() < 0 ? 5432 : uri.getPort(),
                path.isEmpty() ? "postgres" : path,
                params);
    }

    String user() {
        return params.getOrDefault("user", "postgres");
    }

    /** The same server and parameters, another database. */
    PgUrl withDatabase(String name) {
        return new PgUrl(host, port, name, params);
    }

    /** The same URL with an extra parameter (replacing one of the same name). */
    PgUrl with(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(params);
        more.put(key, value);
        return new PgUrl(host, port, database, more);
    }

    String jdbc() {
        StringBuilder url = new StringBuilder("jdbc:postgresql://")
                .append(host)
                .append(':')
                .append(port)
                .append('/')
                .append(database);
        String sep = "?";
        for (var e : params.entrySet()) {
            url.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = "&";
        }
        return url.toString();
    }

    @Override
    public String toString() {
        return dev.marketdata.job.sink.config.JdbcSettings.redact(jdbc());
    }
}
