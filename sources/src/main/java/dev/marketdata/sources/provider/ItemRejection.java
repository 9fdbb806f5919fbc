package dev.marketdata.sources.provider;

/**
 * One item of an answer that is not a storable record, thrown by a protocol's item reader and caught per item by
 * {@link JsonItems#page}, which dead-letters the item with its raw text and this reason. Carries no stack trace (it
 * is an expected outcome, not a bug).
 */
public final class ItemRejection extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param reason a {@link RejectedItem} reason code, e.g. {@link RejectedItem#MISSING_FIELD}
     * @param message what exactly is wrong
     */
    public ItemRejection(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** {@link RejectedItem#MISSING_FIELD}: {@code required field <field> is missing}. */
    public static ItemRejection missing(String field) {
        return new ItemRejection(RejectedItem.MISSING_FIELD, "required field " + field + " is missing");
    }

    /** {@link RejectedItem#WRONG_TYPE} with {@code message}. */
    public static ItemRejection wrongType(String message) {
        return new ItemRejection(RejectedItem.WRONG_TYPE, message);
    }

    public String reason() {
        return reason;
    }
}
