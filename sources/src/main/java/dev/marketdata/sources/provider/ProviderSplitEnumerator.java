package dev.marketdata.sources.provider;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks every ticker up once for the whole job (off the coordinator thread), cuts the known ones into splits and
 * hands them out one at a time to readers that ask, so fast readers take more. It also shares the job's request
 * rate out among the readers that still have work ({@link RateShare}): a reader that gets no more splits gives its
 * share to the others. Checkpointed: the pending splits and whether the lookups are done, so a restore neither
 * looks up again nor hands out a split that a reader had finished.
 */
final class ProviderSplitEnumerator implements SplitEnumerator<ProviderSplit, ProviderEnumeratorState> {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderSplitEnumerator.class);

    private final SplitEnumeratorContext<ProviderSplit> context;
    private final BarsProtocol protocol;
    private final ProviderSettings settings;
    private final Deque<ProviderSplit> pending;
    private boolean lookedUp;
    /** Readers that asked while the lookups ran. */
    private final Set<Integer> waiting = new LinkedHashSet<>();
    /** Readers not yet told that no more splits come. */
    private final Set<Integer> active = new TreeSet<>();

    private ProviderClient client;
    private final boolean wholeWindow;

    /**
     * @param wholeWindow true for a data set other than bars: one split per known ticker over the whole window
     *     (news and filings appear on any day, and their pages hold a count, not a span, of records); false for
     *     bars, cut by {@link SplitPlanner}
     */
    ProviderSplitEnumerator(
            SplitEnumeratorContext<ProviderSplit> context,
            BarsProtocol protocol,
            ProviderSettings settings,
            ProviderEnumeratorState restored,
            boolean wholeWindow) {
        this.wholeWindow = wholeWindow;
        this.context = context;
        this.protocol = protocol;
        this.settings = settings;
        this.pending = new ArrayDeque<>(restored.pending());
        this.lookedUp = restored.lookedUp();
    }

    @Override
    public void start() {
        if (lookedUp) {
            return;
        }
        ProviderMetrics metrics = new ProviderMetrics(context.metricGroup(), protocol.provider());
        client = new ProviderClient(protocol, settings, metrics, new RateLimiter(settings.requestsPerMinute()));
        context.callAsync(this::lookUpAll, (splits, failure) -> {
            if (failure != null) {
                // Fails the job: a fatal answer (401/403) without restarts, an exhausted budget with them.
                throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
            }
            pending.addAll(splits);
            lookedUp = true;
            LOG.info(
                    "{}: {} splits for {} tickers",
                    protocol.provider().id(),
                    splits.size(),
                    settings.tickers().size());
            for (int reader : new ArrayList<>(waiting)) {
                handleSplitRequest(reader, null);
            }
            waiting.clear();
        });
    }

    /** Runs on the enumerator's worker thread: one lookup per ticker, then the splits of the known ones. */
    private List<ProviderSplit> lookUpAll() throws InterruptedException {
        List<ProviderSplit> splits = new ArrayList<>();
        for (String ticker : new LinkedHashSet<>(settings.tickers())) {
            HttpRequestSpec request = protocol.lookupRequest(ticker);
            String origin = protocol.provider().id() + " " + request;
            HttpAnswer answer;
            try {
                answer = client.call(protocol.lookupBaseUrl().orElse(settings.baseUrl()), request, ticker, true)
                        .get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
            TickerLookup lookup;
            try {
                lookup = protocol.readLookup(ticker, answer.status(), answer.body());
            } catch (PayloadException e) {
                splits.add(ProviderSplit.unknownTicker(
                        ticker,
                        settings.from(),
                        settings.to(),
                        new RejectedItem(
                                text(answer.body()), e.reason(), "lookup of " + ticker + ": " + e.getMessage()),
                        origin));
                continue;
            }
            if (lookup instanceof TickerLookup.Known known && wholeWindow) {
                splits.add(ProviderSplit.bars(ticker, known.providerId(), settings.from(), settings.to()));
            } else if (lookup instanceof TickerLookup.Known known) {
                splits.addAll(SplitPlanner.plan(
                        ticker,
                        known.providerId(),
                        settings.from(),
                        settings.to(),
                        new BarQuery(
                                        ticker,
                                        known.providerId(),
                                        settings.timeframe(),
                                        settings.from(),
                                        settings.to(),
                                        settings.options())
                                .length(),
                        protocol.maxBarsPerPage()));
            } else if (lookup instanceof TickerLookup.Unknown unknown) {
                LOG.warn("{}: unknown ticker {}: {}", protocol.provider().id(), ticker, unknown.reason());
                splits.add(ProviderSplit.unknownTicker(
                        ticker,
                        settings.from(),
                        settings.to(),
                        new RejectedItem(text(answer.body()), RejectedItem.UNKNOWN_TICKER, unknown.reason()),
                        origin));
            }
        }
        return splits;
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        if (!lookedUp) {
            waiting.add(subtaskId);
            return;
        }
        ProviderSplit next = pending.poll();
        if (next != null) {
            context.assignSplit(next, subtaskId);
            return;
        }
        context.signalNoMoreSplits(subtaskId);
        if (active.remove(subtaskId)) {
            shareRate();
        }
    }

    @Override
    public void addSplitsBack(List<ProviderSplit> splits, int subtaskId) {
        // In front, in their order: a restarted reader resumes them first.
        for (int i = splits.size() - 1; i >= 0; i--) {
            pending.addFirst(splits.get(i));
        }
    }

    @Override
    public void addReader(int subtaskId) {
        active.add(subtaskId);
        shareRate();
    }

    /** Gives each reader with work an equal share of the job's rate. */
    private void shareRate() {
        if (active.isEmpty()) {
            return;
        }
        RateShare share = new RateShare((double) settings.requestsPerMinute() / active.size());
        for (int reader : active) {
            if (context.registeredReaders().containsKey(reader)) {
                context.sendEventToSourceReader(reader, share);
            }
        }
    }

    @Override
    public ProviderEnumeratorState snapshotState(long checkpointId) {
        return new ProviderEnumeratorState(lookedUp, lookedUp ? new ArrayList<>(pending) : List.of());
    }

    @Override
    public void close() {}
}
