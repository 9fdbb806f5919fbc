package dev.marketdata.job.dlq;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.marketdata.job.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import org.apache.flink.api.common.serialization.Encoder;

/**
 * Writes a dead letter as one line of NDJSON: {@code dataset}, {@code stage}, {@code reason}, {@code message},
 * the {@code record} as an object (or the {@code raw} payload as a string with its {@code rawEncoding}),
 * {@code origin}, {@code rejectedAt}.
 */
public final class DeadLetterEncoder implements Encoder<DeadLetter> {

    private static final long serialVersionUID = 1L;

    @Override
    public void encode(DeadLetter letter, OutputStream stream) throws IOException {
        stream.write(toLine(letter));
    }

    /** The NDJSON line, newline included. */
    public static byte[] toLine(DeadLetter letter) throws IOException {
        ByteArrayOutputStream bytes = toJson(letter);
        bytes.write('\n');
        return bytes.toByteArray();
    }

    /** The JSON object alone, as UTF-8 (a Kafka record's value). */
    public static byte[] toJsonBytes(DeadLetter letter) throws IOException {
        return toJson(letter).toByteArray();
    }

    private static ByteArrayOutputStream toJson(DeadLetter letter) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (JsonGenerator out = Json.FACTORY.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("dataset", letter.dataset());
            out.writeStringField("stage", letter.stage().label());
            out.writeStringField("reason", letter.reason());
            out.writeStringField("message", letter.message());
            if (letter.record() != null) {
                out.writeFieldName("record");
                // Unpaired surrogates as escapes: the same JSON, and text that UTF-8 can carry.
                out.writeRawValue(Json.escapeUnpairedSurrogates(letter.record()));
            }
            if (letter.raw() != null) {
                out.writeStringField("raw", letter.raw());
                out.writeStringField("rawEncoding", letter.rawEncoding().label());
            }
            if (letter.origin() != null) {
                out.writeStringField("origin", letter.origin());
            }
            out.writeStringField(
                    "rejectedAt",
                    Instant.ofEpochMilli(letter.rejectedAtMillis()).toString());
            out.writeEndObject();
        }
        return bytes;
    }
}
