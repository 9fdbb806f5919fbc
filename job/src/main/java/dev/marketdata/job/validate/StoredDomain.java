package dev.marketdata.job.validate;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * The values the job's tables store exactly as they were sent, and the one normalisation it applies, shared by
 * every data set's rules, the sink and the dead-letter queue (see {@code docs/input-domain.md}).
 *
 * <ul>
 *   <li>Times ({@code timestamptz}) and dates ({@code date}): years 0001 to 9999 (UTC), the range of RFC 3339 and
 *       of ISO 8601 without expansion. PostgreSQL holds more (4713 BC to 294276 AD), but no market datum lies
 *       outside, and beyond it Java gateways send sentinels ({@code Instant.MIN}/{@code MAX},
 *       {@code LocalDate.MAX}) that mean "no date". Outside: reason {@link #TIME_OUT_OF_RANGE}.
 *   <li>Sub-microsecond digits: {@code timestamptz} keeps microseconds, so times are truncated toward the past to
 *       the microsecond ({@link #atStoredPrecision}) before they are keyed, copied, upserted or replayed: one rule
 *       everywhere, so two times within one microsecond are one row and the later record wins.
 *   <li>Text: no U+0000 (PostgreSQL {@code text} and {@code jsonb} refuse it) and no unpaired UTF-16 surrogate
 *       (UTF-8 cannot encode one; Java would silently write '?'). Otherwise: reason {@link #UNSTORABLE_TEXT}.
 *   <li>Key text: a B-tree entry holds at most 2,704 bytes, so the text columns of one index entry may take at most
 *       {@link #MAX_KEY_TEXT_BYTES} bytes in UTF-8 together. Beyond: reason {@link #KEY_TOO_LONG}.
 * </ul>
 */
public final class StoredDomain {

    /** Reason code: a time or date outside years 0001-9999 (UTC). */
    public static final String TIME_OUT_OF_RANGE = "TIME_OUT_OF_RANGE";

    /** Reason code: text holding U+0000 or an unpaired surrogate, which no PostgreSQL text column can hold. */
    public static final String UNSTORABLE_TEXT = "UNSTORABLE_TEXT";

    /** Reason code: the text of a key (or indexed) column is longer than an index entry allows. */
    public static final String KEY_TOO_LONG = "KEY_TOO_LONG";

    /** The earliest time stored: 0001-01-01T00:00:00Z. */
    public static final Instant MIN_TIME = Instant.parse("0001-01-01T00:00:00Z");

    /** The latest time stored: 9999-12-31T23:59:59.999999Z (at the stored precision). */
    public static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999999Z");

    public static final LocalDate MIN_DATE = LocalDate.of(1, 1, 1);
    public static final LocalDate MAX_DATE = LocalDate.of(9999, 12, 31);

    /**
     * Bytes (UTF-8) the text columns of one index entry may take together: PostgreSQL's B-tree limit is 2,704
     * bytes per entry (SQLState 54000 beyond), which must also hold the other columns and the tuple header.
     */
    public static final int MAX_KEY_TEXT_BYTES = 2_000;

    private StoredDomain() {}

    /** {@code time} truncated toward the past to whole microseconds, as {@code timestamptz} keeps it; null stays null. */
    public static Instant atStoredPrecision(Instant time) {
        if (time == null || time.getNano() % 1_000 == 0) {
            return time;
        }
        return time.truncatedTo(ChronoUnit.MICROS);
    }

    /** Why {@code time} is outside the stored range, or null when it is inside (or null). */
    public static String timeProblem(String field, Instant time) {
        if (time == null
                || (!time.isBefore(MIN_TIME) && !atStoredPrecision(time).isAfter(MAX_TIME))) {
            return null;
        }
        return field + " " + time + " is outside years 0001-9999 (UTC)";
    }

    /** Why {@code date} is outside the stored range, or null when it is inside (or null). */
    public static String dateProblem(String field, LocalDate date) {
        if (date == null || (!date.isBefore(MIN_DATE) && !date.isAfter(MAX_DATE))) {
            return null;
        }
        return field + " " + date + " is outside years 0001-9999";
    }

    /** Why {@code text} cannot be stored in a text column, or null when it can (or is null). */
    public static String textProblem(String field, String text) {
        if (text == null) {
            return null;
        }
        int at = unstorableAt(text);
        if (at < 0) {
            return null;
        }
        return String.format(
                "%s holds %s at index %d, which no text column can store",
                field,
                text.charAt(at) == 0 ? "U+0000" : String.format("an unpaired surrogate U+%04X", (int) text.charAt(at)),
                at);
    }

    /** The index of the first U+0000 or unpaired surrogate in {@code text}, or -1 when there is none. */
    public static int unstorableAt(String text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Why the text columns of one index entry are too long together, or null when they fit.
     *
     * @param columns the columns' names, for the message, e.g. {@code (provider, id)}
     */
    public static String keyProblem(String columns, String... values) {
        long bytes = 0;
        for (String value : values) {
            bytes += utf8Length(value);
        }
        if (bytes <= MAX_KEY_TEXT_BYTES) {
            return null;
        }
        return String.format(
                "the key %s takes %d bytes in UTF-8, more than the %d an index entry leaves for it",
                columns, bytes, MAX_KEY_TEXT_BYTES);
    }

    /** {@code text} with each U+0000 and unpaired surrogate written as the six characters {@code \}{@code uXXXX}. */
    public static String escapeUnstorable(String text) {
        if (text == null || unstorableAt(text) < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (c == 0 || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static long utf8Length(String value) {
        if (value == null) {
            return 0;
        }
        long bytes = 0;
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
