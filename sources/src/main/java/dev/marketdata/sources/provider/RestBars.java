package dev.marketdata.sources.provider;

import dev.marketdata.sources.model.Bar;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.IntConsumer;
import org.apache.flink.metrics.MetricGroup;

/**
 * A provider's REST bars, fetched synchronously on the caller's thread: what a live source uses to look its tickers
 * up and to repair the gaps of its stream. The same {@link ProviderClient} as the backfill (rate limit, timeouts,
 * retries, session recovery, {@link ProviderMetrics} under the caller's metric group), and the same checks of every
 * bar against the asked window.
 *
 * <p>Errors: a fatal answer fails with {@link ProviderFatalException}, an exhausted retry budget with
 * {@link ProviderRetriesExhaustedException}; an interrupt ends the call with {@link InterruptedException}.
 */
public final class RestBars {

    private final BarsProtocol protocol;
    private final ProviderSettings settings;
    private final ProviderClient client;

    /**
     * @param metrics the group the provider's request metrics go under (the live source's operator group)
     */
    public RestBars(BarsProtocol protocol, ProviderSettings settings, MetricGroup metrics) {
        this.protocol = protocol;
        this.settings = settings;
        this.client = new ProviderClient(
                protocol,
                settings,
                new ProviderMetrics(metrics, protocol.provider()),
                new RateLimiter(settings.requestsPerMinute()));
    }

    /** The answer to one ticker lookup. */
    public sealed interface Lookup {
        /** The provider knows the ticker, under {@code providerId} (IBKR's conid; else the ticker itself). */
        record Known(String ticker, String providerId) implements Lookup {}

        /** The provider does not know the ticker, or its answer could not be read. */
        record Unknown(String ticker, RejectedItem why, String origin) implements Lookup {}
    }

    /** Looks {@code ticker} up once. */
    public Lookup lookUp(String ticker) throws InterruptedException {
        HttpRequestSpec request = protocol.lookupRequest(ticker);
        String origin = protocol.provider().id() + " " + request;
        HttpAnswer answer =
                await(client.call(protocol.lookupBaseUrl().orElse(settings.baseUrl()), request, ticker, true));
        String body = new String(answer.body(), StandardCharsets.UTF_8);
        try {
            TickerLookup lookup = protocol.readLookup(ticker, answer.status(), answer.body());
            if (lookup instanceof TickerLookup.Known known) {
                return new Lookup.Known(ticker, known.providerId());
            }
            return new Lookup.Unknown(
                    ticker,
                    new RejectedItem(body, RejectedItem.UNKNOWN_TICKER, ((TickerLookup.Unknown) lookup).reason()),
                    origin);
        } catch (PayloadException e) {
            return new Lookup.Unknown(
                    ticker, new RejectedItem(body, e.reason(), "lookup of " + ticker + ": " + e.getMessage()), origin);
        }
    }

    /**
     * What the provider has for one ticker in {@code [from, to)}: its bars in time order, each start once (the
     * first of two identical ones; a second, different one is rejected), and what of the answers was not a bar.
     *
     * @param requests told of every request sent (a metric of the caller)
     */
    public Fetched fetch(String ticker, String providerId, Instant from, Instant to, IntConsumer requests)
            throws InterruptedException {
        List<Bar> bars = new ArrayList<>();
        List<ProviderItem<Bar>> rejects = new ArrayList<>();
        if (!from.isBefore(to)) {
            return new Fetched(bars, rejects);
        }
        Duration length = new BarQuery(ticker, providerId, settings.timeframe(), from, to, settings.options()).length();
        Duration maxSpan = length.multipliedBy(Math.max(1, protocol.maxBarsPerPage()));
        // Not SplitPlanner: a stream's gap is repaired whatever the day (weekends included), in page-sized pieces.
        for (Instant piece = from; piece.isBefore(to); ) {
            Instant end = piece.plus(maxSpan).isBefore(to) ? piece.plus(maxSpan) : to;
            BarQuery query = new BarQuery(ticker, providerId, settings.timeframe(), piece, end, settings.options());
            Optional<String> cursor = Optional.empty();
            do {
                HttpRequestSpec request = protocol.barsRequest(query, cursor);
                String origin = protocol.provider().id() + " " + request;
                requests.accept(1);
                HttpAnswer answer = await(client.call(request, ticker, false));
                BarsPage page;
                try {
                    page = protocol.readBars(query, cursor, answer.body());
                } catch (PayloadException unreadable) {
                    rejects.add(ProviderItem.rejected(
                            ticker,
                            new RejectedItem(
                                    new String(answer.body(), StandardCharsets.UTF_8),
                                    unreadable.reason(),
                                    unreadable.getMessage()),
                            origin));
                    break;
                }
                List<Bar> sorted = new ArrayList<>(page.bars());
                sorted.sort(java.util.Comparator.comparing(Bar::ts));
                for (Bar bar : sorted) {
                    Bar previous = bars.isEmpty() ? null : bars.get(bars.size() - 1);
                    if (!query.covers(bar.ts())) {
                        rejects.add(new ProviderItem<>(
                                bar,
                                ticker,
                                RejectedItem.OUTSIDE_WINDOW,
                                "bar starts at "
                                        + bar.ts() + ", outside the requested window [" + query.from() + ", "
                                        + query.to()
                                        + ")",
                                null,
                                origin));
                    } else if (previous != null && !bar.ts().isAfter(previous.ts())) {
                        if (!bar.equals(previous)) {
                            rejects.add(new ProviderItem<>(
                                    bar,
                                    ticker,
                                    RejectedItem.DUPLICATE_BAR,
                                    "a second, " + "different bar starting at " + bar.ts(),
                                    null,
                                    origin));
                        }
                    } else {
                        bars.add(bar);
                    }
                }
                for (RejectedItem item : page.rejects()) {
                    rejects.add(ProviderItem.rejected(ticker, item, origin));
                }
                Optional<String> next = page.nextCursor();
                if (next.isPresent() && next.equals(cursor)) {
                    break;
                }
                cursor = next;
            } while (cursor.isPresent());
            piece = end;
        }
        return new Fetched(bars, rejects);
    }

    /** One ticker's bars of a window, and the rejects of its answers. */
    public record Fetched(List<Bar> bars, List<ProviderItem<Bar>> rejects) {}

    private static <T> T await(java.util.concurrent.CompletableFuture<T> call) throws InterruptedException {
        try {
            return call.get();
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        }
    }
}
