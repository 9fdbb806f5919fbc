package dev.marketdata.job.dlq;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * A rejected record on its way to the dead-letter queue, with everything needed to understand and replay it.
 *
 * @param dataset the data set the record belongs to, e.g. {@code bars}
 * @param stage the step that rejected it: {@code parse}, {@code validate} or {@code write}
 * @param reason stable reason code, e.g. {@code HIGH_BELOW_LOW} or a SQLState
 * @param message what exactly was wrong
 * @param record the record as a JSON object in the data set's wire format, or null when it never parsed
 * @param raw the raw payload when it could not be parsed (see {@code rawEncoding}), else null
 * @param rawEncoding how {@code raw} holds the payload's bytes: {@code text} when they are valid UTF-8,
 *     {@code base64} when not; null when there is no raw payload
 * @param origin where the raw payload came from (e.g. {@code topic/partition/offset}), or null
 * @param rejectedAtMillis when it was rejected (epoch milliseconds)
 */
public record DeadLetter(
        String dataset,
        String stage,
        String reason,
        String message,
        String record,
        String raw,
        String rawEncoding,
        String origin,
        long rejectedAtMillis) {

    public static final String STAGE_PARSE = "parse";
    public static final String STAGE_VALIDATE = "validate";
    public static final String STAGE_WRITE = "write";

    /**
     * Reason code of a record on which the job's own code (a parser, a rule) threw: a fault of the job, not of the
     * record, which is dead-lettered all the same (the message names the exception) instead of failing the job.
     */
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    /** {@code raw} is the payload decoded as UTF-8. */
    public static final String RAW_TEXT = "text";

    /** {@code raw} is the payload's bytes in base64 (they were not valid UTF-8). */
    public static final String RAW_BASE64 = "base64";
    /** A raw payload as a letter holds it: {@code raw} and {@code rawEncoding}, both null for no payload. */
    public record Raw(String raw, String encoding) {}

    /**
     * The raw form of a payload's bytes: the text when they are valid UTF-8, else base64 (lossless either way).
     *
     * @param value the payload, or null (a tombstone)
     */
    public static Raw rawOf(byte[] value) {
        if (value == null) {
            return new Raw(null, null);
        }
        try {
            return new Raw(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value))
                    .toString(), RAW_TEXT);
        } catch (CharacterCodingException e) {
            return new Raw(Base64.getEncoder().encodeToString(value), RAW_BASE64);
        }
    }

    /** The payload's bytes back from {@code raw} and {@code rawEncoding}; null when there is none. */
    public static byte[] rawBytes(String raw, String rawEncoding) {
        if (raw == null) {
            return null;
        }
        return RAW_BASE64.equals(rawEncoding) ? Base64.getDecoder().decode(raw) : raw.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A name for what this letter says (data set, stage, reason, record or raw payload, origin), the same each
     * time the same record is rejected for the same reason: the key of the {@code dead_letters} table, and the
     * name of an at-least-once writer's dead-letter file, so a replayed rejection lands on the first one.
     */
    public UUID key() {
        String identity = String.join("\u0000", dataset, stage, reason, String.valueOf(record), String.valueOf(raw),
                String.valueOf(origin));
        return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8));
    }
}
