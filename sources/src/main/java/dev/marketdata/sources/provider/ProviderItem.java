package dev.marketdata.sources.provider;

/**
 * What a {@link ProviderSource} emits: a record of its data set read from a response, or something of a response
 * that is not a storable record, on its way to the dead-letter queue with its raw text (the parse operator of the
 * job splits the two). Flink serializes it as a POJO through the type the source is given.
 *
 * @param record the record; for a rejected item the record it would have been (outside the window) or null
 * @param ticker the ticker (or underlying) the request was for
 * @param reason the rejection's reason code (see {@link RejectedItem}), or null for a record
 * @param message what is wrong, or null for a record
 * @param raw the rejected item's or body's text as received, or null for a record
 * @param origin {@code provider GET path?query} of the request (credentials never in it), or null for a record
 * @param <T> the record type, e.g. {@link dev.marketdata.sources.model.NewsArticle}
 */
public record ProviderItem<T>(T record, String ticker, String reason, String message, String raw, String origin) {

    public static <T> ProviderItem<T> of(T record, String ticker) {
        return new ProviderItem<>(record, ticker, null, null, null, null);
    }

    public static <T> ProviderItem<T> rejected(String ticker, RejectedItem item, String origin) {
        return new ProviderItem<>(null, ticker, item.reason(), item.message(), item.raw(), origin);
    }

    /** A record to store (a rejected record carries its record too, with a reason). */
    public boolean isRecord() {
        return record != null && reason == null;
    }
}
