package dev.marketdata.sources.provider;

/**
 * A part of a response that is not a bar the job may store: a malformed item of a page, or a whole unreadable
 * body. It goes to the dead-letter queue at the parse stage with its raw text, never altered.
 *
 * @param raw the item's or the body's text exactly as received
 * @param reason stable reason code, e.g. {@link #MISSING_FIELD}
 * @param message what exactly is wrong
 */
public record RejectedItem(String raw, String reason, String message) {

    /** The body is not JSON, or not the JSON shape the reference describes. */
    public static final String MALFORMED_BODY = "MALFORMED_BODY";
    /** An item lacks a required field. */
    public static final String MISSING_FIELD = "MISSING_FIELD";
    /** A field has the wrong type or an unreadable value. */
    public static final String WRONG_TYPE = "WRONG_TYPE";
    /** The bar starts outside the requested window. */
    public static final String OUTSIDE_WINDOW = "OUTSIDE_WINDOW";
    /** A second, different bar with the start of one already emitted. */
    public static final String DUPLICATE_BAR = "DUPLICATE_BAR";
    /** The provider does not know the ticker. */
    public static final String UNKNOWN_TICKER = "UNKNOWN_TICKER";
}
