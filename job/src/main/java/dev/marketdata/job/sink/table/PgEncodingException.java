package dev.marketdata.job.sink.table;

/**
 * A value that PostgreSQL cannot hold, refused by {@link PgBinaryCopyBuffer} before it is sent (rather than sent
 * wrapped or altered), with the SQLState the server gives the same value, so the batch writer isolates its row
 * like any data error.
 */
public final class PgEncodingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** {@code datetime_field_overflow}: a time or date outside the column type's range. */
    public static final String DATETIME_FIELD_OVERFLOW = "22008";

    /** {@code character_not_in_repertoire}: U+0000 or an unpaired surrogate in text. */
    public static final String CHARACTER_NOT_IN_REPERTOIRE = "22021";

    private final String sqlState;

    public PgEncodingException(String sqlState, String message) {
        super(message);
        this.sqlState = sqlState;
    }

    public String sqlState() {
        return sqlState;
    }
}
