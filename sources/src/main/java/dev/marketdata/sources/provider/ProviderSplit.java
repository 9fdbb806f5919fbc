package dev.marketdata.sources.provider;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One ticker's bars in one window {@code [from, to)} (at most one New York day and at most one provider page of
 * bars), and how far it has got: the cursor of the next page to fetch and the start of the last bar emitted. A
 * reader emits a whole page and moves the position in one {@code pollNext}, so a checkpoint holds either the page
 * before or after it: a restore fetches the next page, never one already emitted.
 *
 * <p>The other kind, {@link #unknownTicker}, carries a ticker the lookup did not find, to be dead-lettered by a
 * reader (the enumerator cannot emit records).
 */
public final class ProviderSplit implements SourceSplit {

    private final String ticker;
    private final String providerId;
    private final Instant from;
    private final Instant to;
    private final String cursor;
    private final Instant lastBarTime;
    private final RejectedItem unknown;
    private final String unknownOrigin;

    private ProviderSplit(
            String ticker,
            String providerId,
            Instant from,
            Instant to,
            String cursor,
            Instant lastBarTime,
            RejectedItem unknown,
            String unknownOrigin) {
        this.ticker = Objects.requireNonNull(ticker);
        this.providerId = providerId;
        this.from = Objects.requireNonNull(from);
        this.to = Objects.requireNonNull(to);
        this.cursor = cursor;
        this.lastBarTime = lastBarTime;
        this.unknown = unknown;
        this.unknownOrigin = unknownOrigin;
    }

    /** The bars of {@code ticker} in {@code [from, to)}, not started yet. */
    public static ProviderSplit bars(String ticker, String providerId, Instant from, Instant to) {
        return new ProviderSplit(ticker, Objects.requireNonNull(providerId), from, to, null, null, null, null);
    }

    /** A ticker the provider does not know, to dead-letter with the lookup's answer. */
    public static ProviderSplit unknownTicker(
            String ticker, Instant from, Instant to, RejectedItem why, String origin) {
        return new ProviderSplit(ticker, null, from, to, null, null, Objects.requireNonNull(why), origin);
    }

    /** The same window, next page at {@code nextCursor}, the last bar emitted starting at {@code last}. */
    ProviderSplit advancedTo(String nextCursor, Instant last) {
        return new ProviderSplit(ticker, providerId, from, to, Objects.requireNonNull(nextCursor), last, null, null);
    }

    @Override
    public String splitId() {
        return ticker + "@" + from.toEpochMilli() + (unknown == null ? "" : "-unknown");
    }

    public String ticker() {
        return ticker;
    }

    /** Empty for an unknown ticker. */
    public Optional<String> providerId() {
        return Optional.ofNullable(providerId);
    }

    public Instant from() {
        return from;
    }

    public Instant to() {
        return to;
    }

    /** The next page's cursor; empty before the first page. */
    public Optional<String> cursor() {
        return Optional.ofNullable(cursor);
    }

    public Optional<Instant> lastBarTime() {
        return Optional.ofNullable(lastBarTime);
    }

    /** Why the ticker is unknown, with the lookup's raw answer; empty for a bars split. */
    public Optional<RejectedItem> unknown() {
        return Optional.ofNullable(unknown);
    }

    public Optional<String> unknownOrigin() {
        return Optional.ofNullable(unknownOrigin);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProviderSplit s
                && ticker.equals(s.ticker)
                && Objects.equals(providerId, s.providerId)
                && from.equals(s.from)
                && to.equals(s.to)
                && Objects.equals(cursor, s.cursor)
                && Objects.equals(lastBarTime, s.lastBarTime)
                && Objects.equals(unknown, s.unknown)
                && Objects.equals(unknownOrigin, s.unknownOrigin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ticker, providerId, from, to, cursor, lastBarTime);
    }

    @Override
    public String toString() {
        return "ProviderSplit[" + splitId() + " to " + to + (cursor == null ? "" : ", at next page") + "]";
    }
}
