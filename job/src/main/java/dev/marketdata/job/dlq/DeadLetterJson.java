package dev.marketdata.job.dlq;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.json.RecordJson;
import java.io.IOException;
import java.time.Instant;

/**
 * A dead letter as a row of the {@code dead_letters} table in JSON (field names are the table's columns), the
 * form the sink's upsert fallback reads with {@code json_populate_recordset}.
 */
public final class DeadLetterJson implements RecordJson<DeadLetter> {

    private static final long serialVersionUID = 1L;

    @Override
    public void write(DeadLetter letter, JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeStringField("letter_key", letter.key().toString());
        out.writeStringField("dataset", letter.dataset());
        out.writeStringField("stage", letter.stage());
        out.writeStringField("reason", letter.reason());
        out.writeStringField("message", letter.message());
        out.writeFieldName("record");
        if (letter.record() == null) {
            out.writeNull();
        } else {
            out.writeRawValue(letter.record());
        }
        out.writeStringField("raw", letter.raw());
        out.writeStringField("raw_encoding", letter.rawEncoding());
        out.writeStringField("origin", letter.origin());
        out.writeStringField("rejected_at", Instant.ofEpochMilli(letter.rejectedAtMillis()).toString());
        out.writeEndObject();
    }

    @Override
    public DeadLetter read(JsonNode node) {
        JsonNode record = node.get("record");
        return new DeadLetter(
                text(node, "dataset"),
                text(node, "stage"),
                text(node, "reason"),
                text(node, "message"),
                record == null || record.isNull() ? null : record.toString(),
                text(node, "raw"),
                text(node, "raw_encoding"),
                text(node, "origin"),
                Instant.parse(text(node, "rejected_at")).toEpochMilli());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
