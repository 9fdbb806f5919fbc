package dev.marketdata.job.json;

/** A JSON record that cannot become a record: a required field is missing, or a field has the wrong type. */
public final class JsonFieldException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Reason code when a required field is absent or null. */
    public static final String MISSING_FIELD = "MISSING_FIELD";

    /** Reason code when a field (or the value itself) has the wrong JSON type, or text that is not a date or time. */
    public static final String WRONG_TYPE = "WRONG_TYPE";

    /**
     * Reason code when a time names the leap second {@code 23:59:60} (in any offset): {@code timestamptz} and
     * {@link java.time.Instant} have no such second, and {@code Instant.parse} would fold it into {@code :59},
     * replacing the real bar of that second.
     */
    public static final String LEAP_SECOND = "LEAP_SECOND";

    private final String reason;

    public JsonFieldException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
