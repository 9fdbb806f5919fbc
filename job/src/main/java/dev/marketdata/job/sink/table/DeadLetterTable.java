package dev.marketdata.job.sink.table;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.json.RecordJson;
import dev.marketdata.job.validate.StoredDomain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The {@code dead_letters} table (see {@code sql/V7__create_dead_letters.sql} and {@code V8}); key
 * {@code letter_key}. It stores every letter it is given, whatever the letter holds (see {@link #columns(DeadLetter)}).
 */
public final class DeadLetterTable extends BaseTable<DeadLetter> {

    private static final long serialVersionUID = 1L;

    public static final String NAME = "dead_letters";

    private static final List<String> COLUMNS = List.of(
            "letter_key",
            "dataset",
            "stage",
            "reason",
            "message",
            "record",
            "record_text",
            "raw",
            "raw_encoding",
            "origin",
            "rejected_at");
    private static final List<String> KEY = List.of("letter_key");

    public DeadLetterTable() {
        super(NAME, "dead_letters", COLUMNS, KEY);
    }

    @Override
    public RowKey key(DeadLetter letter) {
        return new Key(letter.key());
    }

    /** The {@code letter_key} column: the letter's own {@link DeadLetter#key()}. */
    private record Key(UUID letterKey) implements RowKey {}

    @Override
    public void writeRow(DeadLetter letter, PgBinaryCopyBuffer out) {
        Row row = columns(letter);
        out.startRow(COLUMNS.size());
        out.putUuid(row.key());
        out.putText(row.dataset());
        out.putText(row.stage());
        out.putText(row.reason());
        out.putText(row.message());
        out.putJsonb(row.record());
        out.putBytea(row.recordText());
        out.putText(row.raw());
        out.putText(row.rawEncoding());
        out.putText(row.origin());
        out.putTimestamptz(Instant.ofEpochMilli(row.rejectedAtMillis()));
    }

    @Override
    public RecordJson<DeadLetter> json() {
        return new DeadLetterJson();
    }

    /**
     * A letter's columns, each in a form its column stores whatever the letter holds:
     *
     * <ul>
     *   <li>{@code record}: the JSON object as {@code jsonb} when jsonb can hold it; when it holds a U+0000 or an
     *       unpaired surrogate (which jsonb refuses, even escaped), {@code record} is null and {@code record_text}
     *       holds the JSON text exactly, in UTF-8 (unpaired surrogates as {@code \}{@code uXXXX} escapes);
     *   <li>{@code raw}: the payload as text when it is UTF-8 without U+0000, else its bytes in base64 with
     *       {@code raw_encoding} {@code base64} (lossless either way);
     *   <li>{@code message} and the other text columns, for people: each U+0000 and unpaired surrogate written as
     *       the six characters {@code \}{@code uXXXX}.
     * </ul>
     *
     * <p>The key is the letter's own {@link DeadLetter#key()}, the same as in any other destination.
     */
    public static Row columns(DeadLetter letter) {
        String record = letter.record();
        byte[] recordText = null;
        if (record != null && !jsonbCanHold(record)) {
            recordText = record.getBytes(StandardCharsets.UTF_8);
            record = null;
        }
        String raw = letter.raw();
        DeadLetter.RawEncoding rawEncoding = letter.rawEncoding();
        if (raw != null && rawEncoding == DeadLetter.RawEncoding.TEXT && StoredDomain.unstorableAt(raw) >= 0) {
            raw = Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
            rawEncoding = DeadLetter.RawEncoding.BASE64;
        }
        return new Row(
                letter.key(),
                StoredDomain.escapeUnstorable(letter.dataset()),
                letter.stage().label(),
                StoredDomain.escapeUnstorable(letter.reason()),
                StoredDomain.escapeUnstorable(letter.message()),
                record,
                recordText,
                raw,
                rawEncoding == null ? null : rawEncoding.label(),
                StoredDomain.escapeUnstorable(letter.origin()),
                letter.rejectedAtMillis());
    }

    /** Whether {@code json} is JSON whose every name and string jsonb can store (no U+0000, no lone surrogate). */
    static boolean jsonbCanHold(String json) {
        if (StoredDomain.unstorableAt(json) >= 0) {
            return false;
        }
        try (JsonParser parser = Json.FACTORY.createParser(json)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if ((token == JsonToken.FIELD_NAME || token == JsonToken.VALUE_STRING)
                        && StoredDomain.unstorableAt(parser.getText()) >= 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false; // not JSON at all: kept as its text, which bytea stores whatever it is
        }
    }

    /** One row of {@code dead_letters}, as stored. */
    public record Row(
            UUID key,
            String dataset,
            String stage,
            String reason,
            String message,
            String record,
            byte[] recordText,
            String raw,
            String rawEncoding,
            String origin,
            long rejectedAtMillis) {}
}
