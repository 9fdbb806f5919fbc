package dev.marketdata.sources.provider;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;

/**
 * The reader of a {@link ProviderSource}, the same for every data set: fetches the pages of one split at a time,
 * asking the enumerator for the next split when done. One request is in flight at a time; its answer is handed to
 * the task thread, which reads it with the protocol, emits the page and moves the split's position in the same
 * {@link #pollNext}, so a checkpoint never splits a page.
 *
 * <p>What it checks, as the reference asks: every record's time against the split's window (outside:
 * dead-lettered, {@link RejectedItem#OUTSIDE_WINDOW}); where the time is the key ({@link PageProtocol#timeIsKey()},
 * bars), a second record with the time of one already emitted (identical: dropped; different: dead-lettered,
 * {@link RejectedItem#DUPLICATE_BAR}); a next cursor that does not advance or cannot be used
 * ({@link #BROKEN_PAGINATION}, the split ends); an empty first page the protocol finds suspect
 * ({@link PageProtocol#suspectEmpty}) asked again before it is believed. Errors of the request (fatal answers, an
 * exhausted retry budget) are rethrown here, on the task thread.
 *
 * @param <T> the record type
 */
final class ProviderReader<T> implements SourceReader<ProviderItem<T>, ProviderSplit> {

    /** Reason code: the next page cannot be fetched (cursor does not advance, or a broken {@code next_url}). */
    static final String BROKEN_PAGINATION = "BROKEN_PAGINATION";

    private final SourceReaderContext context;
    private final PageProtocol<T> protocol;
    private final ProviderSettings settings;
    private final ProviderClient client;
    private final ProviderMetrics metrics;
    private final RateLimiter limiter;
    private final Deque<ProviderSplit> assigned = new ArrayDeque<>();
    private ProviderSplit current;
    private int emptyRetries;
    private boolean inFlight;
    private boolean noMoreSplits;
    private boolean splitRequested;
    private volatile Outcome outcome;
    private volatile CompletableFuture<Void> availability = CompletableFuture.completedFuture(null);

    /** The answer (or failure) of the request in flight, for the task thread. */
    private record Outcome(PageQuery query, HttpRequestSpec request, HttpAnswer answer, Throwable failure) {}

    ProviderReader(SourceReaderContext context, PageProtocol<T> protocol, ProviderSettings settings) {
        this.context = context;
        this.protocol = protocol;
        this.settings = settings;
        this.limiter =
                new RateLimiter((double) settings.requestsPerMinute() / Math.max(1, context.currentParallelism()));
        this.metrics =
                new ProviderMetrics(context.metricGroup(), protocol.transport().provider());
        this.client = new ProviderClient(protocol.transport(), settings, metrics, limiter);
    }

    @Override
    public void start() {}

    @Override
    public InputStatus pollNext(ReaderOutput<ProviderItem<T>> output) {
        Outcome done = outcome;
        if (done != null) {
            outcome = null;
            inFlight = false;
            return handle(done, output);
        }
        if (inFlight) {
            return waitForAnswer();
        }
        if (current == null) {
            current = assigned.poll();
            emptyRetries = 0;
        }
        if (current == null) {
            if (noMoreSplits) {
                return InputStatus.END_OF_INPUT;
            }
            if (!splitRequested) {
                splitRequested = true;
                context.sendSplitRequest();
            }
            return waitForAnswer();
        }
        if (current.unknown().isPresent()) {
            output.collect(ProviderItem.rejected(
                    current.ticker(),
                    current.unknown().get(),
                    current.unknownOrigin().orElse(null)));
            current = null;
            return InputStatus.MORE_AVAILABLE;
        }
        PageQuery query = new PageQuery(
                current.ticker(), current.providerId().orElseThrow(), current.from(), current.to(), settings.options());
        HttpRequestSpec request;
        try {
            request = protocol.pageRequest(query, current.cursor());
        } catch (IllegalArgumentException unusable) {
            output.collect(ProviderItem.rejected(
                    current.ticker(),
                    new RejectedItem(
                            current.cursor().orElse(""),
                            BROKEN_PAGINATION,
                            "cannot fetch the next page: " + unusable.getMessage()),
                    protocol.transport().provider().id() + " " + current.ticker() + " " + current.from()));
            current = null;
            return InputStatus.MORE_AVAILABLE;
        }
        fetch(query, request, Duration.ZERO);
        return waitForAnswer();
    }

    private void fetch(PageQuery query, HttpRequestSpec request, Duration delay) {
        inFlight = true;
        CompletableFuture<Void> start = delay.isZero()
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(
                        () -> {}, CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS));
        start.thenCompose(ignored -> client.call(request, query.ticker(), false))
                .whenComplete((answer, failure) -> {
                    outcome = new Outcome(query, request, answer, failure);
                    availability.complete(null);
                });
    }

    /** NOTHING_AVAILABLE with a fresh availability future, unless an answer slipped in meanwhile. */
    private InputStatus waitForAnswer() {
        if (availability.isDone()) {
            availability = new CompletableFuture<>();
        }
        return outcome != null ? InputStatus.MORE_AVAILABLE : InputStatus.NOTHING_AVAILABLE;
    }

    private InputStatus handle(Outcome done, ReaderOutput<ProviderItem<T>> output) {
        if (done.failure() != null) {
            Throwable cause = done.failure() instanceof CompletionException
                            && done.failure().getCause() != null
                    ? done.failure().getCause()
                    : done.failure();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        }
        PageQuery query = done.query();
        String origin = protocol.transport().provider().id() + " " + done.request();
        Page<T> page;
        try {
            page = protocol.readPage(query, current.cursor(), done.answer().body());
        } catch (PayloadException unreadable) {
            output.collect(ProviderItem.rejected(
                    query.ticker(),
                    new RejectedItem(
                            new String(done.answer().body(), StandardCharsets.UTF_8),
                            unreadable.reason(),
                            unreadable.getMessage()),
                    origin));
            current = null;
            return InputStatus.MORE_AVAILABLE;
        }
        if (page.isEmpty()
                && current.cursor().isEmpty()
                && protocol.suspectEmpty(query)
                && emptyRetries < settings.http().emptyRetries()) {
            emptyRetries++;
            fetch(query, done.request(), client.backoff(emptyRetries - 1));
            return waitForAnswer();
        }
        if (BarPages.DATASET.equals(protocol.dataset())) {
            // Bars read from answers, before the window and duplicate checks (the metric counts bars only).
            metrics.barsReceived(page.records().size());
        }
        Instant last = emit(page, query, origin, output);
        Optional<String> next = page.nextCursor();
        if (next.isEmpty()) {
            current = null;
        } else if (next.equals(current.cursor())) {
            output.collect(ProviderItem.rejected(
                    query.ticker(),
                    new RejectedItem(
                            next.get(),
                            BROKEN_PAGINATION,
                            "the next page cursor does not advance (the same as the page before)"),
                    origin));
            current = null;
        } else {
            current = current.advancedTo(next.get(), last);
        }
        return InputStatus.MORE_AVAILABLE;
    }

    /** Emits a page's records (in time order) and rejects; returns the time of the last record emitted. */
    private Instant emit(Page<T> page, PageQuery query, String origin, ReaderOutput<ProviderItem<T>> output) {
        List<T> records = new ArrayList<>(page.records());
        records.sort(Comparator.comparing(protocol::timeOf));
        Instant last = current.lastBarTime().orElse(null);
        T previous = null;
        for (T record : records) {
            Instant ts = protocol.timeOf(record);
            long timestamp = ts.toEpochMilli();
            if (!query.covers(ts)) {
                output.collect(
                        rejected(
                                record,
                                query,
                                RejectedItem.OUTSIDE_WINDOW,
                                "record time " + ts + " is outside the requested window [" + query.from() + ", "
                                        + query.to() + ")",
                                origin),
                        timestamp);
            } else if (protocol.timeIsKey()
                    && previous != null
                    && protocol.timeOf(previous).equals(ts)) {
                if (!previous.equals(record)) {
                    output.collect(
                            rejected(
                                    record,
                                    query,
                                    RejectedItem.DUPLICATE_BAR,
                                    "a second, different record " + "at " + ts + " in the same response",
                                    origin),
                            timestamp);
                }
            } else if (protocol.timeIsKey() && last != null && !ts.isAfter(last)) {
                output.collect(
                        rejected(
                                record,
                                query,
                                RejectedItem.DUPLICATE_BAR,
                                "record time " + ts + " is not after the last record of the page before (" + last + ")",
                                origin),
                        timestamp);
            } else {
                output.collect(ProviderItem.of(record, query.ticker()), timestamp);
                previous = record;
                last = ts;
            }
        }
        for (RejectedItem item : page.rejects()) {
            output.collect(ProviderItem.rejected(query.ticker(), item, origin));
        }
        return last;
    }

    private static <T> ProviderItem<T> rejected(
            T record, PageQuery query, String reason, String message, String origin) {
        return new ProviderItem<>(record, query.ticker(), reason, message, null, origin);
    }

    /** The split in progress at its position (its page in flight is fetched again after a restore), then the rest. */
    @Override
    public List<ProviderSplit> snapshotState(long checkpointId) {
        List<ProviderSplit> state = new ArrayList<>(assigned.size() + 1);
        if (current != null) {
            state.add(current);
        }
        state.addAll(assigned);
        return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return availability;
    }

    @Override
    public void addSplits(List<ProviderSplit> splits) {
        assigned.addAll(splits);
        splitRequested = false;
        availability.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        availability.complete(null);
    }

    @Override
    public void handleSourceEvents(SourceEvent event) {
        if (event instanceof RateShare share) {
            limiter.setRate(share.requestsPerMinute());
        }
    }

    @Override
    public void close() {}
}
