package dev.marketdata.sources.provider;

/**
 * Thrown by {@link BarsProtocol#readBars} and {@link BarsProtocol#readLookup} when a 2xx body cannot be read at all
 * (not JSON, not the documented shape). The framework dead-letters the whole body with the request's path and
 * {@link #reason()}, and moves on to the next split. The message must not contain credentials.
 */
public final class PayloadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    public PayloadException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public PayloadException(String message) {
        this(RejectedItem.MALFORMED_BODY, message);
    }

    /** Reason code for the dead letter, e.g. {@link RejectedItem#MALFORMED_BODY}. */
    public String reason() {
        return reason;
    }
}
