package dev.marketdata.job.dlq;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * A rejected record on its way to the dead-letter queue, with everything needed to understand and replay it.
 * Made by the factories {@link #unparsed}, {@link #rejected} and {@link #refused}, one per {@link Stage}.
 *
 * @param dataset the data set the record belongs to, e.g. {@code bars}
 * @param stage the step that rejected it
 * @param reason stable reason code, e.g. {@code HIGH_BELOW_LOW} or a SQLState
 * @param message what exactly was wrong
 * @param record the record as a JSON object in the data set's wire format, or null when it never parsed
 * @param raw the raw payload when it could not be parsed (see {@code rawEncoding}), else null
 * @param rawEncoding how {@code raw} holds the payload's bytes; null when there is no raw payload
 * @param origin where the raw payload came from (e.g. {@code topic/partition/offset}), or null
 * @param rejectedAtMillis when it was rejected (epoch milliseconds, UTC)
 */
public record DeadLetter(
        String dataset,
        Stage stage,
        String reason,
        String message,
        String record,
        String raw,
        RawEncoding rawEncoding,
        String origin,
        long rejectedAtMillis) {

    /** The step that rejected a record; {@link #label} is what files, the table and the letter key say. */
    public enum Stage {
        /** A payload that is no record of the data set (Kafka value, provider item): {@code raw}, no {@code record}. */
        PARSE("parse"),
        /** A record validation rejected: {@code record}, the rule's reason code. */
        VALIDATE("validate"),
        /** A valid record the table refused: {@code record}, the SQLState as reason. */
        WRITE("write");

        private final String label;

        Stage(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** @throws IllegalArgumentException for a label no stage has */
        public static Stage ofLabel(String label) {
            for (Stage stage : values()) {
                if (stage.label.equals(label)) {
                    return stage;
                }
            }
            throw new IllegalArgumentException("no dead-letter stage '" + label + "'");
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** How {@code raw} holds a payload's bytes; {@link #label} is what files and the table say. */
    public enum RawEncoding {
        /** The payload decoded as UTF-8 (its bytes were valid UTF-8). */
        TEXT("text"),
        /** The payload's bytes in base64 (they were not valid UTF-8). */
        BASE64("base64");

        private final String label;

        RawEncoding(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** @return null for null (no raw payload) */
        public static RawEncoding ofLabel(String label) {
            if (label == null) {
                return null;
            }
            for (RawEncoding encoding : values()) {
                if (encoding.label.equals(label)) {
                    return encoding;
                }
            }
            throw new IllegalArgumentException("no raw encoding '" + label + "'");
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * Reason code of a record on which the job's own code (a parser, a rule) threw: a fault of the job, not of the
     * record, which is dead-lettered all the same (the message names the exception) instead of failing the job.
     */
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    /** A raw payload as a letter holds it: {@code raw} and {@code rawEncoding}, both null for no payload. */
    public record Raw(String raw, RawEncoding encoding) {

        public static final Raw NONE = new Raw(null, null);

        /** A payload that arrived as text (a provider's item): as it is, or {@link #NONE} for null. */
        public static Raw text(String text) {
            return text == null ? NONE : new Raw(text, RawEncoding.TEXT);
        }
    }

    /** A payload that is no record of the data set ({@link Stage#PARSE}). */
    public static DeadLetter unparsed(
            String dataset, String reason, String message, Raw raw, String origin, long rejectedAtMillis) {
        return new DeadLetter(
                dataset, Stage.PARSE, reason, message, null, raw.raw(), raw.encoding(), origin, rejectedAtMillis);
    }

    /**
     * This letter with the record as far as it was read (a provider's item that parsed into a record that is no
     * record of the data set), or null.
     */
    public DeadLetter withRecord(String record) {
        return new DeadLetter(dataset, stage, reason, message, record, raw, rawEncoding, origin, rejectedAtMillis);
    }

    /** A record validation rejected ({@link Stage#VALIDATE}); {@code record} is its JSON in the wire format. */
    public static DeadLetter rejected(
            String dataset, String reason, String message, String record, long rejectedAtMillis) {
        return new DeadLetter(dataset, Stage.VALIDATE, reason, message, record, null, null, null, rejectedAtMillis);
    }

    /** A valid record the table refused ({@link Stage#WRITE}), with the SQLState as reason. */
    public static DeadLetter refused(
            String dataset, String sqlState, String message, String record, long rejectedAtMillis) {
        return new DeadLetter(dataset, Stage.WRITE, sqlState, message, record, null, null, null, rejectedAtMillis);
    }

    /** A record (parsed, at least once) rejected at {@code stage}: a replay's new letter keeps its origin. */
    public static DeadLetter ofRecord(
            String dataset,
            Stage stage,
            String reason,
            String message,
            String record,
            String origin,
            long rejectedAtMillis) {
        return new DeadLetter(dataset, stage, reason, message, record, null, null, origin, rejectedAtMillis);
    }

    /**
     * The raw form of a payload's bytes: the text when they are valid UTF-8, else base64 (lossless either way).
     *
     * @param value the payload, or null (a tombstone)
     */
    public static Raw rawOf(byte[] value) {
        if (value == null) {
            return Raw.NONE;
        }
        try {
            return new Raw(
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(value))
                            .toString(),
                    RawEncoding.TEXT);
        } catch (CharacterCodingException e) {
            return new Raw(Base64.getEncoder().encodeToString(value), RawEncoding.BASE64);
        }
    }

    /** The payload's bytes back from {@code raw} and {@code rawEncoding}; null when there is none. */
    public static byte[] rawBytes(String raw, RawEncoding rawEncoding) {
        if (raw == null) {
            return null;
        }
        return rawEncoding == RawEncoding.BASE64
                ? Base64.getDecoder().decode(raw)
                : raw.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A name for what this letter says (data set, stage, reason, record or raw payload, origin), the same each
     * time the same record is rejected for the same reason: the key of the {@code dead_letters} table, and the
     * name of an at-least-once writer's dead-letter file, so a replayed rejection lands on the first one.
     */
    public UUID key() {
        String identity = String.join(
                "\u0000",
                dataset,
                stage.label(),
                reason,
                String.valueOf(record),
                String.valueOf(raw),
                String.valueOf(origin));
        return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8));
    }
}
