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
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;

/**
 * The reader of a {@link ProviderPageSource}: like the bars' reader, one request in flight, the answer read and
 * emitted and the split's position moved in the same {@link #pollNext}, so a checkpoint never splits a page.
 *
 * <p>What it checks: every record's time against the split's window (outside: dead-lettered,
 * {@link RejectedItem#OUTSIDE_WINDOW}); a next cursor that does not advance or cannot be used
 * ({@link ProviderReader#BROKEN_PAGINATION}, the split ends). An empty answer is believed at once (a ticker without
 * news on a day is normal). Errors of the request are rethrown here, on the task thread.
 */
final class ProviderPageReader<T> implements SourceReader<ProviderItem<T>, ProviderSplit> {

    private final SourceReaderContext context;
    private final PageProtocol<T> protocol;
    private final ProviderSettings settings;
    private final ProviderClient client;
    private final RateLimiter limiter;
    private final Deque<ProviderSplit> assigned = new ArrayDeque<>();
    private ProviderSplit current;
    private boolean inFlight;
    private boolean noMoreSplits;
    private boolean splitRequested;
    private volatile Outcome outcome;
    private volatile CompletableFuture<Void> availability = CompletableFuture.completedFuture(null);

    /** The answer (or failure) of the request in flight, for the task thread. */
    private record Outcome(PageQuery query, HttpRequestSpec request, HttpAnswer answer, Throwable failure) {}

    ProviderPageReader(SourceReaderContext context, PageProtocol<T> protocol, ProviderSettings settings) {
        this.context = context;
        this.protocol = protocol;
        this.settings = settings;
        this.limiter = new RateLimiter(
                (double) settings.requestsPerMinute() / Math.max(1, context.currentParallelism()));
        this.client = new ProviderClient(protocol.transport(), settings,
                new ProviderMetrics(context.metricGroup(), protocol.transport().provider()), limiter);
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
            output.collect(ProviderItem.rejected(current.ticker(), current.unknown().get(),
                    current.unknownOrigin().orElse(null)));
            current = null;
            return InputStatus.MORE_AVAILABLE;
        }
        PageQuery query = new PageQuery(current.ticker(), current.providerId().orElseThrow(), current.from(),
                current.to(), settings.options());
        HttpRequestSpec request;
        try {
            request = protocol.pageRequest(query, current.cursor());
        } catch (IllegalArgumentException unusable) {
            output.collect(ProviderItem.rejected(current.ticker(), new RejectedItem(current.cursor().orElse(""),
                    ProviderReader.BROKEN_PAGINATION, "cannot fetch the next page: " + unusable.getMessage()),
                    protocol.transport().provider().id() + " " + current.ticker() + " " + current.from()));
            current = null;
            return InputStatus.MORE_AVAILABLE;
        }
        inFlight = true;
        client.call(request, query.ticker(), false).whenComplete((answer, failure) -> {
            outcome = new Outcome(query, request, answer, failure);
            availability.complete(null);
        });
        return waitForAnswer();
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
            Throwable cause = done.failure() instanceof CompletionException && done.failure().getCause() != null
                    ? done.failure().getCause() : done.failure();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        }
        PageQuery query = done.query();
        String origin = protocol.transport().provider().id() + " " + done.request();
        Page<T> page;
        try {
            page = protocol.readPage(query, done.answer().body());
        } catch (PayloadException unreadable) {
            output.collect(ProviderItem.rejected(query.ticker(), new RejectedItem(
                    new String(done.answer().body(), StandardCharsets.UTF_8), unreadable.reason(),
                    unreadable.getMessage()), origin));
            current = null;
            return InputStatus.MORE_AVAILABLE;
        }
        Instant last = emit(page, query, origin, output);
        Optional<String> next = page.nextCursor();
        if (next.isEmpty()) {
            current = null;
        } else if (next.equals(current.cursor())) {
            output.collect(ProviderItem.rejected(query.ticker(), new RejectedItem(next.get(),
                    ProviderReader.BROKEN_PAGINATION,
                    "the next page cursor does not advance (the same as the page before)"), origin));
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
        for (T record : records) {
            Instant ts = protocol.timeOf(record);
            if (!query.covers(ts)) {
                output.collect(new ProviderItem<>(record, query.ticker(), RejectedItem.OUTSIDE_WINDOW,
                        "record time " + ts + " is outside the requested window [" + query.from() + ", "
                                + query.to() + ")", null, origin), ts.toEpochMilli());
            } else {
                output.collect(ProviderItem.of(record, query.ticker()), ts.toEpochMilli());
                last = ts;
            }
        }
        for (RejectedItem item : page.rejects()) {
            output.collect(ProviderItem.rejected(query.ticker(), item, origin));
        }
        return last;
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
