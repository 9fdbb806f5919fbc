package dev.marketdata.sources.provider.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * A local HTTP server standing in for a provider's REST API in tests (the JDK's {@code com.sun.net.httpserver}, on
 * a free loopback port). Scriptable per test: answers queued per request target (exact path and query, or a path
 * prefix), consumed in order, the last one repeated; otherwise a fallback function answers (a protocol's fake
 * serves its fixtures there). Every request is recorded, and each is first checked by the auth check: a request
 * that fails it gets the provider's 401.
 *
 * <p>Thread-safe: handlers run on a pool, so a hanging answer does not hold up the others.
 */
public class FakeProviderServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-provider");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Deque<FakeResponse>> scripted = new LinkedHashMap<>();
    private final Map<String, Deque<FakeResponse>> once = new LinkedHashMap<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private volatile Predicate<RecordedRequest> authorized = request -> true;
    private volatile FakeResponse unauthorized = FakeResponse.json(401, "{\"error\":\"unauthorized\"}");
    private volatile Function<RecordedRequest, FakeResponse> fallback =
            request -> FakeResponse.json(404, "{\"error\":\"no such fixture\"}");

    public FakeProviderServer() {
        this(null);
    }

    /**
     * A server speaking HTTPS with {@code tls} (its key and certificate chain), e.g. a Client Portal gateway with a
     * self-signed certificate; plain HTTP when null.
     */
    public FakeProviderServer(SSLContext tls) {
        try {
            InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            if (tls == null) {
                server = HttpServer.create(loopback, 50);
            } else {
                HttpsServer https = HttpsServer.create(loopback, 50);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code http://127.0.0.1:PORT}, or {@code https://localhost:PORT} for HTTPS: the base URL to configure. */
    public String baseUrl() {
        return server instanceof HttpsServer
                ? "https://localhost:" + server.getAddress().getPort()
                : "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests pass only when {@code check} holds; others get {@code answer}. */
    public void requireAuth(Predicate<RecordedRequest> check, FakeResponse answer) {
        this.authorized = check;
        this.unauthorized = answer;
    }

    /** Answers requests that no script matches. */
    public void fallback(Function<RecordedRequest, FakeResponse> answer) {
        this.fallback = answer;
    }

    /** The function answering requests that no script matches (to wrap it, e.g. to hold some requests back). */
    public Function<RecordedRequest, FakeResponse> fallback() {
        return fallback;
    }

    /**
     * Queues answers for requests whose target equals {@code target} or, when {@code target} ends with
     * {@code *}, starts with the rest. Consumed in order; the last one stays.
     */
    public synchronized void script(String target, FakeResponse... answers) {
        scripted.computeIfAbsent(target, t -> new ArrayDeque<>()).addAll(List.of(answers));
    }

    /**
     * Answers the next requests for {@code target} (as in {@link #script}) with {@code answers}, one each, and
     * the ones after them as if nothing were scripted (the fallback answers).
     */
    public synchronized void scriptOnce(String target, FakeResponse... answers) {
        once.computeIfAbsent(target, t -> new ArrayDeque<>()).addAll(List.of(answers));
    }

    /** Forgets every scripted answer. */
    public synchronized void clearScripts() {
        scripted.clear();
        once.clear();
    }

    /** Forgets the requests received so far. */
    public synchronized void clearRequests() {
        requests.clear();
    }

    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** How many requests had a path starting with {@code pathPrefix}. */
    public synchronized long count(String pathPrefix) {
        return requests.stream().filter(r -> r.target().startsWith(pathPrefix)).count();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            RecordedRequest request = new RecordedRequest(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath()
                            + (exchange.getRequestURI().getRawQuery() == null
                                    ? ""
                                    : "?" + exchange.getRequestURI().getRawQuery()),
                    headers,
                    System.nanoTime());
            synchronized (this) {
                requests.add(request);
            }
            FakeResponse answer = authorized.test(request) ? answer(request) : unauthorized;
            send(exchange, answer);
        }
    }

    private FakeResponse answer(RecordedRequest request) {
        synchronized (this) {
            for (Map.Entry<String, Deque<FakeResponse>> e : once.entrySet()) {
                if (matches(e.getKey(), request) && !e.getValue().isEmpty()) {
                    return e.getValue().poll();
                }
            }
            for (Map.Entry<String, Deque<FakeResponse>> e : scripted.entrySet()) {
                if (matches(e.getKey(), request) && !e.getValue().isEmpty()) {
                    Deque<FakeResponse> queue = e.getValue();
                    return queue.size() > 1 ? queue.poll() : queue.peek();
                }
            }
        }
        return fallback.apply(request);
    }

    private static boolean matches(String key, RecordedRequest request) {
        return key.endsWith("*")
                ? request.target().startsWith(key.substring(0, key.length() - 1))
                : request.target().equals(key);
    }

    private static void send(HttpExchange exchange, FakeResponse answer) throws IOException {
        if (!answer.delay().isZero()) {
            try {
                Thread.sleep(answer.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        byte[] body = answer.body();
        exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
        if (body.length == 0) {
            return;
        }
        OutputStream out = exchange.getResponseBody();
        if (answer.truncateAt() >= 0) {
            out.write(body, 0, Math.min(answer.truncateAt(), body.length));
            out.flush();
            // Closing the connection under the announced length is what a dropped connection looks like.
            try {
                out.close();
            } catch (IOException expected) {
                // "insufficient bytes written": the server then drops the connection, which is the point.
            }
            return;
        }
        out.write(body);
    }

    /** A fixture file from the test class path, e.g. {@code /fixtures/polygon/aapl-day.json}. */
    public static String fixture(String resource) {
        try (InputStream in = FakeProviderServer.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
