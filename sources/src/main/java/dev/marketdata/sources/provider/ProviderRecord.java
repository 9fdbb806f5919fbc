package dev.marketdata.sources.provider;

import dev.marketdata.sources.model.Bar;

/**
 * What a provider source emits: a bar read from a response, or something of a response that is not a storable
 * bar, on its way to the dead-letter queue with its raw text (the parse operator of the job splits the two).
 * Flink serializes it as a POJO.
 *
 * @param bar the bar; for a rejected item the bar it would have been (outside the window, a repeat) or null
 * @param ticker the ticker the request was for
 * @param reason the rejection's reason code (see {@link RejectedItem}), or null for a bar
 * @param message what is wrong, or null for a bar
 * @param raw the rejected item's or body's text as received, or null for a bar
 * @param origin {@code provider GET path?query} of the request (credentials never in it), or null for a bar
 */
public record ProviderRecord(Bar bar, String ticker, String reason, String message, String raw, String origin) {

    public static ProviderRecord of(Bar bar) {
        return new ProviderRecord(bar, bar.symbol(), null, null, null, null);
    }

    public static ProviderRecord rejected(String ticker, RejectedItem item, String origin) {
        return new ProviderRecord(null, ticker, item.reason(), item.message(), item.raw(), origin);
    }

    /** A bar to store (a rejected bar carries its bar too, with a reason). */
    public boolean isBar() {
        return bar != null && reason == null;
    }
}
