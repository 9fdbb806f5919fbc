package dev.marketdata.job.dlq;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.marketdata.job.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import org.apache.flink.api.common.serialization.Encoder;

/**
 * Writes a dead letter as one line of NDJSON: {@code dataset}, {@code stage}, {@code reason}, {@code message},
 * the {@code record} as an object (or the {@code raw} payload as a string), {@code origin}, {@code rejectedAt}.
 */
public final class DeadLetterEncoder implements Encoder<DeadLetter> {

    private static final long serialVersionUID = 1L;

    @Override
    public void encode(DeadLetter letter, OutputStream stream) throws IOException {
        stream.write(toLine(letter));
    }

    /** The NDJSON line, newline included. */
    public static byte[] toLine(DeadLetter letter) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(512);
        try (JsonGenerator out = Json.FACTORY.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("dataset", letter.dataset());
            out.writeStringField("stage", letter.stage());
            out.writeStringField("reason", letter.reason());
            out.writeStringField("message", letter.message());
            if (letter.record() != null) {
                out.writeFieldName("record");
                out.writeRawValue(letter.record());
            }
            if (letter.raw() != null) {
                out.writeStringField("raw", letter.raw());
            }
            if (letter.origin() != null) {
                out.writeStringField("origin", letter.origin());
            }
            out.writeStringField("rejectedAt", Instant.ofEpochMilli(letter.rejectedAtMillis()).toString());
            out.writeEndObject();
        }
        bytes.write('\n');
        return bytes.toByteArray();
    }
}
