package dev.marketdata.sources.provider.live;

import dev.marketdata.sources.model.Bar;

/** What one event of a provider's stream means, as a {@link LiveSession} reads it. */
public sealed interface LiveEvent {

    /**
     * A bar.
     *
     * @param updated whether the provider sent it as a correction of a bar already sent (Alpaca's {@code u}): it
     *     replaces the stored bar with the same start
     */
    record BarEvent(Bar bar, boolean updated) implements LiveEvent {}

    /** Every subscription of the connection is acknowledged: the stream is live, the gap can be repaired. */
    record Subscribed(String acknowledged) implements LiveEvent {}

    /** A control message the provider sent, by its code. */
    record Control(ControlKind kind, String code, String message) implements LiveEvent {}

    /**
     * An event that cannot be read (dead-lettered with its raw text; the stream goes on).
     *
     * @param ticker the ticker it names, or null when it names none
     * @param reason a {@link dev.marketdata.sources.provider.RejectedItem} reason code
     */
    record Malformed(String ticker, String raw, String reason, String message) implements LiveEvent {}
}
