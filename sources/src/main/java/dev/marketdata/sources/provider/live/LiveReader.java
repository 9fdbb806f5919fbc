package dev.marketdata.sources.provider.live;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.model.Timeframe;
import dev.marketdata.sources.provider.ProviderItem;
import dev.marketdata.sources.provider.ProviderSettings;
import dev.marketdata.sources.provider.RestBars;
import dev.marketdata.sources.provider.live.LiveBuffer.Entry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;

/**
 * The reader of a live source. The one that gets the account's split owns the {@link LiveStream} (the socket);
 * the others stay idle. It takes records from the {@link LiveBuffer} in its order (earlier connection, repair,
 * current connection) and emits each bar unless the same bar (same start, same values) was emitted just before:
 * a bar seen live and by REST repair is emitted once, and when the two differ the one taken later wins (the sink
 * upserts by key, the later record replacing the earlier even in one batch). Dropped records go out as dead
 * letters with reason {@link LiveMetrics#OVERFLOW}.
 *
 * <p>Its checkpointed state is the split with, per ticker, the start of the last bar emitted. Failures of the
 * stream's threads are rethrown here, on the task thread: {@code ProviderFatalException} and
 * {@link LiveOverflowException} as they are (the job fails without restarts), others too (the task fails and is
 * restored from the last checkpoint).
 */
final class LiveReader implements SourceReader<ProviderItem<Bar>, LiveSplit> {

    /** Records emitted per {@link #pollNext} call at most, so checkpoints and the mailbox get their turn. */
    private static final int MAX_PER_POLL = 500;
    /** Bars per ticker remembered to tell a repeat from a new value. */
    private static final int RECENT_BARS = 1_000;

    private final SourceReaderContext context;
    private final LiveProtocol protocol;
    private final ProviderSettings rest;
    private final LiveSettings settings;
    private final Clock clock;
    private final LiveBuffer buffer;
    private final LiveMetrics metrics;
    private final Duration barLength;
    /** Ticker to where it stands before any bar of it is emitted (the job's start, --from, the checkpoint). */
    private final Map<String, Instant> initial = new HashMap<>();
    /** Ticker to the start of the latest bar emitted. */
    private final Map<String, Instant> emitted = new HashMap<>();

    private final Map<String, TreeMap<Instant, Bar>> recent = new HashMap<>();
    /** The availability of a reader without the split: completes once, when the split comes. */
    private final CompletableFuture<Void> idle = new CompletableFuture<>();

    private LiveSplit split;
    private LiveStream stream;
    private volatile Throwable failure;

    LiveReader(
            SourceReaderContext context,
            LiveProtocol protocol,
            ProviderSettings rest,
            LiveSettings settings,
            Clock clock) {
        this.context = context;
        this.protocol = protocol;
        this.rest = rest;
        this.settings = settings;
        this.clock = clock;
        this.barLength = Timeframe.parse(rest.timeframe()).orElseThrow();
        LiveMetrics[] holder = new LiveMetrics[1];
        this.buffer = new LiveBuffer(settings.bufferCapacity(), settings.overflow(), () -> holder[0].dropped.inc());
        this.metrics = new LiveMetrics(
                context.metricGroup(),
                protocol.provider(),
                buffer::size,
                settings.bufferCapacity(),
                () -> stream == null ? 0 : stream.connected());
        holder[0] = metrics;
    }

    @Override
    public void start() {
        context.sendSplitRequest();
    }

    @Override
    public void addSplits(List<LiveSplit> splits) {
        if (splits.isEmpty()) {
            return;
        }
        if (split != null || splits.size() > 1) {
            throw new IllegalStateException("a live reader owns one provider account's split, got " + splits
                    + (split == null ? "" : " besides " + split));
        }
        split = splits.get(0);
        Instant start = floor(clock.instant());
        Map<String, Instant> base = new TreeMap<>(split.positions());
        for (String ticker : rest.tickers()) {
            base.putIfAbsent(ticker, start);
        }
        initial.putAll(base);
        Map<String, Instant> repairFrom = new TreeMap<>();
        // After a restore, from a little before the last bar emitted: a provisional window's second fetch may
        // have been lost with the crash.
        Duration back = split.started() ? settings.provisional().plus(barLength) : Duration.ZERO;
        base.forEach((ticker, position) -> repairFrom.put(ticker, floor(position.minus(back))));
        stream = new LiveStream(
                protocol,
                rest,
                settings,
                rest.tickers(),
                repairFrom,
                new RestBars(protocol.rest(), rest, context.metricGroup()),
                buffer,
                metrics,
                clock,
                this::failed);
        stream.start();
        // The runtime waits on the future it was given while idle: wake it, from now on the buffer's count.
        idle.complete(null);
    }

    private void failed(Throwable t) {
        if (failure == null) {
            failure = t;
        }
        buffer.signal();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<ProviderItem<Bar>> output) {
        rethrow();
        if (split == null) {
            return InputStatus.NOTHING_AVAILABLE;
        }
        for (int i = 0; i < MAX_PER_POLL; i++) {
            Entry entry = buffer.poll();
            if (entry == null) {
                break;
            }
            emit(entry, output);
        }
        rethrow();
        return buffer.available().isDone() ? InputStatus.MORE_AVAILABLE : InputStatus.NOTHING_AVAILABLE;
    }

    private void emit(Entry entry, ReaderOutput<ProviderItem<Bar>> output) {
        ProviderItem<Bar> record = entry.record();
        switch (entry.kind()) {
            case LIVE, REPAIRED -> {
                Bar bar = record.record();
                TreeMap<Instant, Bar> seen = recent.computeIfAbsent(bar.symbol(), s -> new TreeMap<>());
                if (bar.equals(seen.get(bar.ts()))) {
                    return;
                }
                output.collect(record, bar.ts().toEpochMilli());
                seen.put(bar.ts(), bar);
                if (seen.size() > RECENT_BARS) {
                    seen.pollFirstEntry();
                }
                emitted.merge(bar.symbol(), bar.ts(), (a, b) -> a.isAfter(b) ? a : b);
                if (entry.kind() == LiveBuffer.Kind.REPAIRED) {
                    metrics.barsRepaired.inc();
                }
            }
            case REJECTED -> output.collect(record);
            case OVERFLOW ->
                output.collect(new ProviderItem<>(
                        record.record(),
                        record.ticker(),
                        LiveMetrics.OVERFLOW,
                        "dropped by --overflow drop-oldest: the live buffer of " + settings.bufferCapacity()
                                + " records (--live-buffer) was full",
                        record.raw(),
                        record.origin() != null ? record.origin() : stream.origin()));
        }
    }

    private void rethrow() {
        Throwable t = failure;
        if (t == null) {
            return;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(protocol.provider().id() + " live stream failed: " + t.getMessage(), t);
    }

    @Override
    public List<LiveSplit> snapshotState(long checkpointId) {
        if (split == null) {
            return List.of();
        }
        Map<String, Instant> positions = new TreeMap<>(initial);
        positions.putAll(emitted);
        return List.of(new LiveSplit(split.provider(), positions, true));
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        if (failure != null) {
            return CompletableFuture.completedFuture(null);
        }
        return split == null ? idle : buffer.available();
    }

    @Override
    public void notifyNoMoreSplits() {}

    /** The source's metrics (tests read its counters). */
    LiveMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        if (stream != null) {
            stream.close();
        }
    }

    private Instant floor(Instant instant) {
        long length = barLength.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(instant.toEpochMilli(), length) * length);
    }
}
