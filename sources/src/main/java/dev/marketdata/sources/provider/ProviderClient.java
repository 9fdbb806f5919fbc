package dev.marketdata.sources.provider;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Sends a protocol's requests to the provider on the JDK's {@link HttpClient} and sees each through: the rate
 * limiter first, connect and request timeouts, then retries of 429, 5xx, timeouts and cut connections with
 * exponential backoff and full jitter (or the wait the provider asked for in {@code Retry-After} /
 * {@code X-RateLimit-Reset}), within the retry budget of one request; a session error first re-establishes the
 * session. Fatal answers (401/403/400) end the call with a {@link ProviderFatalException} at once.
 *
 * <p>Asynchronous: {@link #call} returns at once; completions run on the HTTP client's and the delayed
 * executor's threads, and callers hand the result to their own thread.
 */
final class ProviderClient {

    private final BarsProtocol protocol;
    private final ProviderSettings settings;
    private final ProviderMetrics metrics;
    private final RateLimiter limiter;
    private final HttpClient http;

    ProviderClient(BarsProtocol protocol, ProviderSettings settings, ProviderMetrics metrics, RateLimiter limiter) {
        this.protocol = protocol;
        this.settings = settings;
        this.metrics = metrics;
        this.limiter = limiter;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.http().connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (settings.http().trustSelfSigned()) {
            builder.sslContext(SelfSignedTrust.context());
        }
        this.http = builder.build();
    }

    /**
     * Sends {@code request} until it gets an answer to read: a 2xx, or a 404 when {@code acceptNotFound}.
     *
     * @param ticker for error messages
     * @return the answer; fails with {@link ProviderFatalException} or {@link ProviderRetriesExhaustedException}
     */
    CompletableFuture<HttpAnswer> call(HttpRequestSpec request, String ticker, boolean acceptNotFound) {
        return call(settings.baseUrl(), request, ticker, acceptNotFound);
    }

    /** {@link #call(HttpRequestSpec, String, boolean)} to another base URL (a lookup on another host). */
    CompletableFuture<HttpAnswer> call(String baseUrl, HttpRequestSpec request, String ticker, boolean acceptNotFound) {
        CompletableFuture<HttpAnswer> result = new CompletableFuture<>();
        new Attempts(baseUrl, request, ticker, acceptNotFound, result).next(Duration.ZERO);
        return result;
    }

    /** A waiting time from the backoff policy: exponential from the initial wait, full jitter in its upper half. */
    Duration backoff(int retry) {
        long initial = settings.http().initialBackoff().toMillis();
        long max = settings.http().maxBackoff().toMillis();
        long ceiling = Math.min(max, initial << Math.min(retry, 20));
        long millis = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        return Duration.ofMillis(millis);
    }

    /** The state of one request across its attempts. */
    private final class Attempts {
        private final String baseUrl;
        private final HttpRequestSpec request;
        private final String ticker;
        private final boolean acceptNotFound;
        private final CompletableFuture<HttpAnswer> result;
        private final long startNanos = System.nanoTime();
        private int attempts;
        private String lastFailure = "";
        private Throwable lastCause;

        Attempts(
                String baseUrl,
                HttpRequestSpec request,
                String ticker,
                boolean acceptNotFound,
                CompletableFuture<HttpAnswer> result) {
            this.baseUrl = baseUrl;
            this.request = request;
            this.ticker = ticker;
            this.acceptNotFound = acceptNotFound;
            this.result = result;
        }

        void next(Duration wait) {
            after(wait)
                    .thenCompose(ignored -> afterRateLimit())
                    .thenCompose(ignored -> send(baseUrl, request))
                    .whenComplete(this::handle);
        }

        private CompletableFuture<Void> afterRateLimit() {
            long waitNanos = limiter.reserve();
            metrics.waited(waitNanos);
            return after(Duration.ofNanos(waitNanos));
        }

        private void handle(HttpAnswer answer, Throwable failure) {
            try {
                attempts++;
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause()
                            : failure;
                    if (!(cause instanceof IOException || cause instanceof TimeoutException)) {
                        result.completeExceptionally(cause);
                        return;
                    }
                    if (untrustedCertificate(cause)) {
                        // Asking again gets the same certificate: fail at once, in one line.
                        result.completeExceptionally(new ProviderFatalException(protocol.provider()
                                        .id() + ": "
                                + ticker + ": the server's TLS certificate is not trusted ("
                                + oneLine(String.valueOf(rootCause(cause).getMessage())) + ")"
                                + (settings.http().trustSelfSigned() ? "" : protocol.untrustedCertificateHint())
                                + " (" + request.method() + " "
                                + request.path() + ")"));
                        return;
                    }
                    // Hung, cut short or refused: the same as a 5xx.
                    retry(describe(cause), cause, Optional.empty());
                    return;
                }
                Optional<ProviderError> hidden =
                        answer.isSuccess() ? protocol.readErrorIn2xx(request, answer.body()) : Optional.empty();
                if (hidden.isEmpty() && (answer.isSuccess() || (acceptNotFound && answer.status() == 404))) {
                    result.complete(answer);
                    return;
                }
                ProviderError error =
                        hidden.orElseGet(() -> protocol.readError(answer.status(), answer.headers(), answer.body()));
                String said = "HTTP " + error.status()
                        + (error.message() == null || error.message().isBlank() ? "" : ": " + oneLine(error.message()));
                switch (error.kind()) {
                    case RETRYABLE -> retry(said, null, error.retryAfter());
                    case SESSION ->
                        recoverSession().whenComplete((ok, e) -> {
                            Throwable cause =
                                    e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                            if (cause instanceof ProviderFatalException fatal) {
                                result.completeExceptionally(fatal);
                            } else {
                                retry(said, cause, Optional.empty());
                            }
                        });
                    case FATAL, MALFORMED ->
                        result.completeExceptionally(
                                new ProviderFatalException(protocol.provider().id() + ": " + ticker + ": " + said + " ("
                                        + request.method() + " " + request.path() + ")"));
                }
            } catch (RuntimeException unexpected) {
                result.completeExceptionally(unexpected);
            }
        }

        private void retry(String failure, Throwable cause, Optional<Duration> asked) {
            lastFailure = failure;
            lastCause = cause;
            Duration wait = asked.orElseGet(() -> backoff(attempts - 1));
            Duration spent = Duration.ofNanos(System.nanoTime() - startNanos);
            if (spent.plus(wait).compareTo(settings.http().retryBudget()) > 0) {
                result.completeExceptionally(new ProviderRetriesExhaustedException(
                        protocol.provider().id() + ": "
                                + ticker + ": " + request + ": still failing after " + attempts + " attempts in "
                                + seconds(spent) + " (retry budget "
                                + seconds(settings.http().retryBudget()) + "): "
                                + lastFailure,
                        lastCause));
                return;
            }
            metrics.retry();
            next(wait);
        }
    }

    /**
     * Sends the protocol's session recovery requests in order, each once; fails with a
     * {@link ProviderFatalException} when the protocol reads from an answer that only a person can bring the session
     * back.
     */
    private CompletableFuture<Void> recoverSession() {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (HttpRequestSpec step : protocol.sessionRecovery()) {
            chain = chain.thenCompose(ignored -> send(settings.baseUrl(), step)).thenApply(answer -> {
                Optional<String> fatal = protocol.readSessionRecovery(step, answer.status(), answer.body());
                if (fatal.isPresent()) {
                    throw new ProviderFatalException(fatal.get());
                }
                return null;
            });
        }
        return chain;
    }

    /** One attempt: the request with credentials, timed, counted. */
    private CompletableFuture<HttpAnswer> send(String baseUrl, HttpRequestSpec request) {
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        protocol.authenticate(headers, settings.credentials());
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + request.pathAndQuery()))
                .timeout(settings.http().requestTimeout());
        headers.forEach(builder::header);
        builder.method(request.method(), HttpRequest.BodyPublishers.noBody());
        long start = System.nanoTime();
        return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofByteArray())
                // The client's own timeout ends at the headers; a body that never ends is caught here.
                .orTimeout(settings.http().requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((response, failure) ->
                        metrics.request(response == null ? 0 : response.statusCode(), System.nanoTime() - start))
                .thenApply(response -> new HttpAnswer(
                        response.statusCode(),
                        response.headers().map(),
                        response.body() == null ? new byte[0] : response.body()));
    }

    private static CompletableFuture<Void> after(Duration wait) {
        if (wait.isZero() || wait.isNegative()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(
                () -> {}, CompletableFuture.delayedExecutor(wait.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** A handshake that failed on the certificate: no retry can change it. */
    private static boolean untrustedCertificate(Throwable cause) {
        if (!(cause instanceof SSLHandshakeException)) {
            return false;
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String describe(Throwable cause) {
        String name = cause instanceof TimeoutException || cause instanceof java.net.http.HttpTimeoutException
                ? "no complete answer in time"
                : cause.getClass().getSimpleName();
        return cause.getMessage() == null ? name : name + ": " + oneLine(cause.getMessage());
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    static String oneLine(String text) {
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }

    /** Reads a body as text for messages and dead letters. */
    static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** A body's text for an error message: at most one line of 300 characters. */
    static String brief(byte[] body) {
        return oneLine(text(body));
    }
}
