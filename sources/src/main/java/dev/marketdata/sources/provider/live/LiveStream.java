package dev.marketdata.sources.provider.live;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.HttpRequestSpec;
import dev.marketdata.sources.provider.NewYorkCalendar;
import dev.marketdata.sources.provider.ProviderFatalException;
import dev.marketdata.sources.provider.ProviderItem;
import dev.marketdata.sources.provider.ProviderSettings;
import dev.marketdata.sources.provider.RejectedItem;
import dev.marketdata.sources.provider.RestBars;
import dev.marketdata.sources.provider.live.LiveBuffer.Entry;
import dev.marketdata.sources.provider.live.LiveBuffer.Kind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection of a live source to its provider's stream, and everything that keeps it going: connect,
 * greet, authenticate, subscribe and wait for the acknowledgements (the {@link LiveSession} says what to send);
 * then repair the gap through REST from each ticker's position and release the held live records behind the
 * repaired ones; heartbeats, a data watchdog, subscription renewals; control messages by their code; reconnects
 * with exponential backoff and jitter; a close frame whenever it closes a socket.
 *
 * <p>Threads: one connection thread ({@code live-<provider>}) runs every step above in order, so no two run at
 * once; the JDK WebSocket's listener reads frames on the HTTP client's threads and hands records to the
 * {@link LiveBuffer} (under {@code block} it asks for the next frame only when the buffer has room, so TCP pushes
 * back on the provider). Failures meant to stop the job go to {@code onFailure}, which the reader rethrows on the
 * task thread.
 */
final class LiveStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveStream.class);
    private static final Duration TICK = Duration.ofMillis(100);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

    private final LiveProtocol protocol;
    private final ProviderSettings rest;
    private final LiveSettings settings;
    private final List<String> wanted;
    /** The tickers the provider knows (looked up on the connection thread before the first connect). */
    private List<LiveTicker> tickers = List.of();

    private final RestBars restBars;
    private final LiveBuffer buffer;
    private final LiveMetrics metrics;
    private final Clock clock;
    private final Consumer<Throwable> onFailure;
    private final String origin;
    private final Duration barLength;
    private final ScheduledExecutorService thread;
    private final HttpClient http;
    /** Ticker to where its repair starts until a bar of it is received (the job's start, --from, a checkpoint). */
    private final Map<String, Instant> positions;
    /** Ticker to the start of the latest bar received or repaired: a reconnect repairs from there. */
    private final Map<String, Instant> lastBars = new ConcurrentHashMap<>();

    // Written on the connection thread only; read by the listener to drop an old socket's frames.
    private volatile long current;
    private long generations;
    private WebSocket socket;
    private LiveSession session;
    private volatile boolean subscribed;
    private volatile boolean closed;
    private int attempts;
    private int connectionLimitAttempts;
    private long ackDeadlineNanos;
    private long lastHeartbeatNanos;
    private long lastRenewalNanos;
    private volatile long lastInboundNanos;
    private volatile long lastDataNanos;
    private CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);
    /**
     * Where the current connection's repair starts, per ticker, taken when it connects: bars the new connection
     * delivers before its repair runs must not move it past the gap.
     */
    private Map<String, Instant> repairFrom = Map.of();

    /**
     * @param positions where each ticker's gap repair starts (inclusive); tickers without one are not repaired at
     *     the first connect
     */
    LiveStream(
            LiveProtocol protocol,
            ProviderSettings rest,
            LiveSettings settings,
            List<String> tickers,
            Map<String, Instant> positions,
            RestBars restBars,
            LiveBuffer buffer,
            LiveMetrics metrics,
            Clock clock,
            Consumer<Throwable> onFailure) {
        this.protocol = protocol;
        this.rest = rest;
        this.settings = settings;
        this.wanted = List.copyOf(tickers);
        this.positions = new ConcurrentHashMap<>(positions);
        this.restBars = restBars;
        this.buffer = buffer;
        this.metrics = metrics;
        this.clock = clock;
        this.onFailure = onFailure;
        this.origin = protocol.provider().id() + " ws " + HttpRequestSpec.redact(settings.webSocketUrl());
        this.barLength =
                dev.marketdata.sources.model.Timeframe.parse(rest.timeframe()).orElseThrow();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "live-" + protocol.provider().id());
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.thread = executor;
        HttpClient.Builder client =
                HttpClient.newBuilder().connectTimeout(rest.http().connectTimeout());
        if (rest.http().trustSelfSigned()) {
            client.sslContext(trustingEveryCertificate()); // the IBKR gateway's self-signed certificate, if asked
        }
        this.http = client.build();
    }

    /** Where the stream's text appears in dead letters: {@code polygon ws wss://...}. */
    String origin() {
        return origin;
    }

    /** 1 while a connection is subscribed, else 0 (a gauge). */
    int connected() {
        return subscribed ? 1 : 0;
    }

    void start() {
        thread.execute(guarded(this::lookUpThenConnect));
        thread.scheduleWithFixedDelay(guarded(this::tick), TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ---- connection thread ------------------------------------------------------------------------------------

    /** Looks every ticker up once (unknown ones are dead-lettered and not subscribed), then connects. */
    private void lookUpThenConnect() {
        List<LiveTicker> known = new ArrayList<>();
        List<Entry> unknown = new ArrayList<>();
        try {
            for (String ticker : wanted) {
                RestBars.Lookup lookup = restBars.lookUp(ticker);
                if (lookup instanceof RestBars.Lookup.Known k) {
                    known.add(new LiveTicker(ticker, k.providerId()));
                } else if (lookup instanceof RestBars.Lookup.Unknown u) {
                    LOG.warn(
                            "{}: unknown ticker {}: {}", origin, ticker, u.why().message());
                    unknown.add(new Entry(Kind.REJECTED, ProviderItem.rejected(ticker, u.why(), u.origin()), 0));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        buffer.append(unknown);
        tickers = List.copyOf(known);
        if (tickers.isEmpty()) {
            LOG.warn("{}: no ticker the provider knows; not connecting", origin);
            return;
        }
        connect();
    }

    private void connect() {
        if (closed) {
            return;
        }
        long generation = ++generations;
        current = generation;
        subscribed = false;
        buffer.hold(generation);
        Map<String, Instant> from = new java.util.HashMap<>(positions);
        from.putAll(lastBars);
        repairFrom = from;
        session = protocol.session(tickers, rest.timeframe(), rest.credentials());
        LiveSession mine = session;
        ackDeadlineNanos = System.nanoTime() + settings.ackTimeout().toNanos();
        lastInboundNanos = System.nanoTime();
        http.newWebSocketBuilder()
                .connectTimeout(rest.http().connectTimeout())
                .buildAsync(URI.create(settings.webSocketUrl()), new Listener(generation, mine))
                .whenComplete((ws, failure) -> {
                    // Success is handled by the listener's onOpen, queued before any frame it reads.
                    if (failure != null) {
                        run(() -> opened(generation, mine, null, failure));
                    }
                });
    }

    private void opened(long generation, LiveSession mine, WebSocket ws, Throwable failure) {
        if (closed || generation != current) {
            if (ws != null) {
                ws.abort();
            }
            return;
        }
        if (failure != null) {
            lost(generation, "cannot connect to " + settings.webSocketUrl() + ": " + describe(failure));
            return;
        }
        socket = ws;
        sending = CompletableFuture.completedFuture(ws);
        send(generation, mine.onOpen());
    }

    private void send(long generation, List<String> frames) {
        if (generation != current || socket == null) {
            return;
        }
        for (String frame : frames) {
            // One send at a time (the JDK WebSocket refuses overlapping ones); frames are never logged (auth).
            sending = sending.thenCompose(ws -> ws.sendText(frame, true));
        }
        sending.whenComplete((ws, failure) -> {
            if (failure != null) {
                run(() -> lost(generation, "cannot send: " + describe(failure)));
            }
        });
    }

    private void subscribed(long generation, String acknowledged) {
        if (closed || generation != current || subscribed) {
            return;
        }
        subscribed = true;
        attempts = 0;
        connectionLimitAttempts = 0;
        lastDataNanos = System.nanoTime();
        lastHeartbeatNanos = System.nanoTime();
        lastRenewalNanos = System.nanoTime();
        LOG.info(
                "{}: subscribed ({}); repairing the gap of {} tickers through REST",
                origin,
                acknowledged,
                tickers.size());
        try {
            repair();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        buffer.release();
    }

    /** Fetches every ticker's bars from its position to now and puts them before the held live records. */
    private void repair() throws InterruptedException {
        Instant now = clock.instant();
        for (LiveTicker ticker : tickers) {
            Instant from = repairFrom.get(ticker.ticker());
            if (from == null) {
                // Nothing to repair before the first connection; from now on, nothing may be missed.
                positions.put(ticker.ticker(), floor(now));
                continue;
            }
            List<Entry> entries = fetch(ticker, from, now);
            buffer.insertBeforeHeld(entries);
            Instant provisionalFrom =
                    later(from, floor(now.minus(settings.provisional()).minus(barLength)));
            if (provisionalFrom.isBefore(now)) {
                thread.schedule(
                        guarded(() -> refetch(ticker, provisionalFrom, now)),
                        settings.provisional().toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Fetches a provisional window again once it has closed for long enough (later values win). */
    private void refetch(LiveTicker ticker, Instant from, Instant to) {
        if (closed) {
            return;
        }
        try {
            buffer.append(fetch(ticker, from, to));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** The closed bars of {@code [from, to)} (a bar still open at {@code to} comes from the stream). */
    private List<Entry> fetch(LiveTicker ticker, Instant from, Instant to) throws InterruptedException {
        // Up to the start of the bar still open at {@code to}: nothing after it can be closed.
        Instant end = floor(to);
        if (!from.isBefore(end)) {
            return List.of();
        }
        RestBars.Fetched fetched =
                restBars.fetch(ticker.ticker(), ticker.providerId(), from, end, metrics.gapRepairRequests::inc);
        List<Entry> entries = new ArrayList<>();
        for (Bar bar : fetched.bars()) {
            if (!bar.ts().plus(barLength).isAfter(to)) {
                entries.add(new Entry(Kind.REPAIRED, ProviderItem.of(bar, bar.symbol()), 0));
                lastBars.merge(ticker.ticker(), bar.ts(), LiveStream::later);
            }
        }
        for (ProviderItem<Bar> reject : fetched.rejects()) {
            entries.add(new Entry(Kind.REJECTED, reject, 0));
        }
        return entries;
    }

    private void control(long generation, LiveEvent.Control control) {
        if (closed || generation != current) {
            return;
        }
        String said = control.message() + " (" + control.code() + ")";
        switch (control.kind()) {
            case AUTH_FAILED ->
                fail(new ProviderFatalException(protocol.provider().id() + " live: authentication failed: " + said));
            case INSUFFICIENT_SUBSCRIPTION ->
                fail(new ProviderFatalException(
                        protocol.provider().id() + " live: insufficient subscription: " + said));
            case CONNECTION_LIMIT -> {
                metrics.connectionLimitErrors.inc();
                Duration wait = jitter(
                        settings.connectionLimitBackoff().multipliedBy(1L << Math.min(connectionLimitAttempts++, 5)));
                LOG.warn(
                        "{}: the provider refused the connection over the account's connection limit: {}; another "
                                + "client may use the same key, or an uncleanly dropped socket still counts; connecting "
                                + "again in {} ms",
                        origin,
                        said,
                        wait.toMillis());
                reconnect(generation, wait);
            }
            case SLOW_CLIENT -> {
                LOG.warn(
                        "{}: the provider says this client is too slow: {}; reconnecting and repairing the gap",
                        origin,
                        said);
                reconnect(generation, Duration.ZERO);
            }
            case ERROR -> {
                Duration wait = nextBackoff();
                LOG.warn("{}: the provider reports an error: {}; reconnecting in {} ms", origin, said, wait.toMillis());
                reconnect(generation, wait);
            }
        }
    }

    private void lost(long generation, String why) {
        if (closed || generation != current) {
            return;
        }
        Duration wait = nextBackoff();
        LOG.warn("{}: {}; reconnecting in {} ms", origin, why, wait.toMillis());
        reconnect(generation, wait);
    }

    private void reconnect(long generation, Duration wait) {
        if (closed || generation != current) {
            return;
        }
        current = 0;
        subscribed = false;
        closeSocket("reconnecting");
        metrics.reconnects.inc();
        thread.schedule(guarded(this::connect), wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Duration nextBackoff() {
        long initial = settings.initialBackoff().toMillis();
        long ceiling = Math.min(settings.maxBackoff().toMillis(), initial << Math.min(attempts++, 20));
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }

    private static Duration jitter(Duration base) {
        long millis = base.toMillis();
        return Duration.ofMillis(millis + ThreadLocalRandom.current().nextLong(millis / 4 + 1));
    }

    private void tick() {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        long generation = current;
        if (generation == 0) {
            return;
        }
        if (!subscribed) {
            if (now - ackDeadlineNanos > 0) {
                lost(
                        generation,
                        "no subscription acknowledged within "
                                + settings.ackTimeout().toMillis() + " ms");
            }
            return;
        }
        if (now - lastHeartbeatNanos >= settings.heartbeat().toNanos() && socket != null) {
            lastHeartbeatNanos = now;
            send(generation, session.heartbeat());
            WebSocket ws = socket;
            sending = sending.thenCompose(w -> w.sendPing(ByteBuffer.allocate(0)));
            if (ws.isInputClosed()) {
                lost(generation, "the socket's input is closed");
                return;
            }
        }
        if (now - lastInboundNanos > settings.heartbeat().multipliedBy(3).toNanos()) {
            lost(
                    generation,
                    "no frame and no pong for "
                            + settings.heartbeat().multipliedBy(3).toMillis() + " ms");
            return;
        }
        if (now - lastDataNanos > settings.dataTimeout().toNanos()) {
            Instant since = clock.instant().minusNanos(now - lastDataNanos);
            if (settings.watchdogOutsideSessions() || NewYorkCalendar.overlapsSession(since, clock.instant())) {
                lost(
                        generation,
                        "no bar for " + settings.dataTimeout().toMillis() + " ms on a subscribed socket "
                                + "(the data watchdog)");
                return;
            }
        }
        if (now - lastRenewalNanos >= settings.renewal().toNanos()) {
            lastRenewalNanos = now;
            List<String> renewal = session.renewal();
            if (!renewal.isEmpty()) {
                LOG.info("{}: renewing {} subscriptions before the provider lets them lapse", origin, tickers.size());
                send(generation, renewal);
            }
        }
    }

    private void fail(Throwable failure) {
        closed = true;
        current = 0;
        subscribed = false;
        closeSocket("failed");
        onFailure.accept(failure);
    }

    /** Sends a close frame (Alpaca counts a socket dropped without one for ~90 s), then drops the TCP connection. */
    private void closeSocket(String reason) {
        WebSocket ws = socket;
        socket = null;
        if (ws == null) {
            return;
        }
        sending.handle((w, e) -> null)
                .thenCompose(ignored -> ws.sendClose(WebSocket.NORMAL_CLOSURE, reason))
                .whenComplete((w, e) -> CompletableFuture.delayedExecutor(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                        .execute(ws::abort));
    }

    /**
     * A step for the connection thread whose failure reaches the task thread: the executor would keep it in a
     * future nobody reads.
     */
    private Runnable guarded(Runnable step) {
        return () -> {
            try {
                step.run();
            } catch (Throwable t) {
                LOG.error("{}: the stream's connection thread failed", origin, t);
                fail(t);
            }
        };
    }

    private void run(Runnable step) {
        if (!thread.isShutdown()) {
            try {
                thread.execute(guarded(step));
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // Closed meanwhile.
            }
        }
    }

    /** Stops the connection thread and closes the socket with a close frame. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.submit(() -> closeSocket("closing")).get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("{}: closing", origin, e);
        }
        thread.shutdownNow();
    }

    // ---- listener threads -------------------------------------------------------------------------------------

    /** Reads the frames of one connection; only ever touches the buffer, the positions and the timestamps. */
    private final class Listener implements WebSocket.Listener {
        private final long generation;
        private final LiveSession mine;
        private final StringBuilder text = new StringBuilder();

        Listener(long generation, LiveSession mine) {
            this.generation = generation;
            this.mine = mine;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            run(() -> opened(generation, mine, webSocket, null));
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (!last) {
                webSocket.request(1);
                return null;
            }
            String frame = text.toString();
            text.setLength(0);
            if (generation != current) {
                webSocket.request(1);
                return null;
            }
            lastInboundNanos = System.nanoTime();
            try {
                read(frame);
            } catch (LiveOverflowException full) {
                // The task thread hears of it now; the connection thread may be in a REST repair and only closes
                // the socket after it (the reader keeps the first failure, so the second report changes nothing).
                onFailure.accept(full);
                run(() -> fail(full));
                return null;
            }
            if (buffer.hasRoom() || settings.overflow() != OverflowPolicy.BLOCK) {
                webSocket.request(1);
            } else {
                buffer.whenRoom(() -> webSocket.request(1));
            }
            return null;
        }

        private void read(String frame) {
            LiveFrame read = mine.read(frame);
            if (!read.replies().isEmpty()) {
                run(() -> send(generation, read.replies()));
            }
            for (LiveEvent event : read.events()) {
                if (event instanceof LiveEvent.BarEvent bar) {
                    lastDataNanos = System.nanoTime();
                    metrics.barsStreamed.inc();
                    lastBars.merge(bar.bar().symbol(), bar.bar().ts(), LiveStream::later);
                    buffer.offer(new Entry(
                            Kind.LIVE, ProviderItem.of(bar.bar(), bar.bar().symbol()), generation));
                } else if (event instanceof LiveEvent.Malformed bad) {
                    buffer.offer(new Entry(
                            Kind.REJECTED,
                            ProviderItem.rejected(
                                    bad.ticker(), new RejectedItem(bad.raw(), bad.reason(), bad.message()), origin),
                            generation));
                } else if (event instanceof LiveEvent.Subscribed ack) {
                    run(() -> subscribed(generation, ack.acknowledged()));
                } else if (event instanceof LiveEvent.Control control) {
                    run(() -> control(generation, control));
                }
            }
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            lastInboundNanos = System.nanoTime();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            lastInboundNanos = System.nanoTime();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            run(() -> lost(
                    generation,
                    "the provider closed the connection (" + statusCode
                            + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")"));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            run(() -> lost(generation, "the connection broke: " + describe(error)));
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** The start of the bar that holds {@code instant}. */
    private Instant floor(Instant instant) {
        long length = barLength.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(instant.toEpochMilli(), length) * length);
    }

    private static javax.net.ssl.SSLContext trustingEveryCertificate() {
        javax.net.ssl.TrustManager trustAll = new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        };
        try {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {trustAll}, new java.security.SecureRandom());
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context", e);
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message.replaceAll("\\s+", " "));
    }
}
