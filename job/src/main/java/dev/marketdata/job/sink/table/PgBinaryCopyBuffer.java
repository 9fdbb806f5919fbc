package dev.marketdata.job.sink.table;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Encodes rows in PostgreSQL's binary {@code COPY} format into one reusable byte array: the server parses no
 * text, and a batch costs no allocation once the array has grown to the batch size.
 *
 * <p>A value the column type cannot hold (a time or date outside its range, text with U+0000 or an unpaired
 * surrogate) is refused with a {@link PgEncodingException}, never wrapped or replaced: validation keeps such values
 * away, this is the defence behind it.
 */
public final class PgBinaryCopyBuffer {

    private static final byte[] HEADER = {
        'P',
        'G',
        'C',
        'O',
        'P',
        'Y',
        '\n',
        (byte) 0xFF,
        '\r',
        '\n',
        0, // signature
        0,
        0,
        0,
        0, // flags
        0,
        0,
        0,
        0 // header extension length
    };
    private static final long PG_EPOCH_SECOND = 946_684_800L; // 2000-01-01T00:00:00Z
    private static final long PG_EPOCH_DAY = 10_957L; // 2000-01-01 in days since 1970-01-01
    private static final int TEXT_OID = 25;
    /** {@code timestamptz} range: 4714-11-24 BC (Java year -4713) up to, not including, 294277-01-01 (UTC). */
    private static final Instant MIN_TIMESTAMPTZ = Instant.parse("-4713-11-24T00:00:00Z");

    private static final Instant END_TIMESTAMPTZ = Instant.parse("+294277-01-01T00:00:00Z");
    /** {@code date} range: 4714-11-24 BC to 5874897-12-31. */
    private static final LocalDate MIN_DATE = LocalDate.of(-4713, 11, 24);

    private static final LocalDate MAX_DATE = LocalDate.of(5_874_897, 12, 31);
    private static final ThreadLocal<CharsetEncoder> UTF8 = ThreadLocal.withInitial(() -> StandardCharsets.UTF_8
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT));

    private byte[] buf;
    private int len;

    public PgBinaryCopyBuffer(int initialCapacity) {
        buf = new byte[Math.max(initialCapacity, 64)];
    }

    /** Starts a new COPY stream, dropping what was written before. */
    public void begin() {
        len = 0;
        putBytes(HEADER, HEADER.length);
    }

    public void startRow(int columns) {
        putShort(columns);
    }

    /** Ends the COPY stream. */
    public void end() {
        putShort(-1);
    }

    public byte[] array() {
        return buf;
    }

    public int length() {
        return len;
    }

    public void putNull() {
        putInt(-1);
    }

    public void putFloat8(double value) {
        putInt(8);
        putLong(Double.doubleToLongBits(value));
    }

    public void putFloat8(Double value) {
        if (value == null) {
            putNull();
        } else {
            putFloat8(value.doubleValue());
        }
    }

    public void putInt8(long value) {
        putInt(8);
        putLong(value);
    }

    public void putInt8(Long value) {
        if (value == null) {
            putNull();
        } else {
            putInt8(value.longValue());
        }
    }

    public void putInt4(int value) {
        putInt(4);
        putInt(value);
    }

    /**
     * A {@code timestamptz}: microseconds since 2000-01-01 UTC, sub-microsecond digits truncated toward the past.
     *
     * @throws PgEncodingException when {@code value} is outside the type's range
     */
    public void putTimestamptz(Instant value) {
        if (value == null) {
            putNull();
            return;
        }
        if (value.isBefore(MIN_TIMESTAMPTZ) || !value.isBefore(END_TIMESTAMPTZ)) {
            throw new PgEncodingException(
                    PgEncodingException.DATETIME_FIELD_OVERFLOW, "timestamp out of range for timestamptz: " + value);
        }
        putInt(8);
        putLong((value.getEpochSecond() - PG_EPOCH_SECOND) * 1_000_000L + value.getNano() / 1_000);
    }

    /**
     * A {@code date}: days since 2000-01-01.
     *
     * @throws PgEncodingException when {@code value} is outside the type's range
     */
    public void putDate(LocalDate value) {
        if (value == null) {
            putNull();
            return;
        }
        if (value.isBefore(MIN_DATE) || value.isAfter(MAX_DATE)) {
            throw new PgEncodingException(PgEncodingException.DATETIME_FIELD_OVERFLOW, "date out of range: " + value);
        }
        putInt(4);
        putInt((int) (value.toEpochDay() - PG_EPOCH_DAY));
    }

    /**
     * A {@code text} (or {@code varchar}) value in UTF-8.
     *
     * @throws PgEncodingException when {@code value} holds U+0000 or an unpaired surrogate
     */
    public void putText(String value) {
        if (value == null) {
            putNull();
            return;
        }
        int lengthAt = len;
        putInt(0);
        putUtf8(value);
        setInt(lengthAt, len - lengthAt - 4);
    }

    /** A {@code bytea}: the bytes as they are. */
    public void putBytea(byte[] value) {
        if (value == null) {
            putNull();
            return;
        }
        putInt(value.length);
        putBytes(value, value.length);
    }

    /** A {@code uuid}: its 16 bytes, most significant first. */
    public void putUuid(UUID value) {
        if (value == null) {
            putNull();
            return;
        }
        putInt(16);
        putLong(value.getMostSignificantBits());
        putLong(value.getLeastSignificantBits());
    }

    /** A {@code jsonb} from its JSON text: format version 1, then the text in UTF-8. */
    public void putJsonb(String json) {
        if (json == null) {
            putNull();
            return;
        }
        int lengthAt = len;
        putInt(0);
        ensure(1);
        buf[len++] = 1;
        putUtf8(json);
        setInt(lengthAt, len - lengthAt - 4);
    }

    /** A one-dimensional {@code text[]}. */
    public void putTextArray(List<String> values) {
        if (values == null) {
            putNull();
            return;
        }
        int lengthAt = len;
        putInt(0);
        putInt(1); // dimensions
        boolean hasNull = false;
        for (String value : values) {
            hasNull |= value == null; // not values.contains(null): immutable lists throw on it
        }
        putInt(hasNull ? 1 : 0);
        putInt(TEXT_OID);
        putInt(values.size());
        putInt(1); // lower bound
        for (String value : values) {
            putText(value);
        }
        setInt(lengthAt, len - lengthAt - 4);
    }

    private void putUtf8(String value) {
        int n = value.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c == 0) {
                throw new PgEncodingException(
                        PgEncodingException.CHARACTER_NOT_IN_REPERTOIRE,
                        "text holds U+0000 at index " + i + ", which PostgreSQL cannot store");
            }
            if (c >= 0x80) {
                // Rare in market data: fall back to the JDK encoder for the whole string, strict, since
                // String.getBytes would silently write an unpaired surrogate as '?'.
                len -= i;
                ByteBuffer utf8;
                try {
                    utf8 = UTF8.get().encode(CharBuffer.wrap(value));
                } catch (CharacterCodingException e) {
                    throw new PgEncodingException(
                            PgEncodingException.CHARACTER_NOT_IN_REPERTOIRE,
                            "text holds an unpaired surrogate, which UTF-8 cannot encode");
                }
                int bytes = utf8.remaining();
                ensure(bytes);
                utf8.get(buf, len, bytes);
                len += bytes;
                for (int j = len - bytes; j < len; j++) {
                    if (buf[j] == 0) {
                        throw new PgEncodingException(
                                PgEncodingException.CHARACTER_NOT_IN_REPERTOIRE,
                                "text holds U+0000, which PostgreSQL cannot store");
                    }
                }
                return;
            }
            buf[len++] = (byte) c;
        }
    }

    private void putShort(int value) {
        ensure(2);
        buf[len++] = (byte) (value >>> 8);
        buf[len++] = (byte) value;
    }

    private void putInt(int value) {
        ensure(4);
        setInt(len, value);
        len += 4;
    }

    private void setInt(int at, int value) {
        buf[at] = (byte) (value >>> 24);
        buf[at + 1] = (byte) (value >>> 16);
        buf[at + 2] = (byte) (value >>> 8);
        buf[at + 3] = (byte) value;
    }

    private void putLong(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[len++] = (byte) (value >>> shift);
        }
    }

    private void putBytes(byte[] bytes, int n) {
        ensure(n);
        System.arraycopy(bytes, 0, buf, len, n);
        len += n;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
