package dev.marketdata.job.sink.table;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.json.RecordJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A dead letter as a row of the {@code dead_letters} table in JSON (field names are the table's columns, values
 * in their stored form, see {@link DeadLetterTable#columns}), the form the sink's upsert fallback reads with
 * {@code json_populate_recordset}; {@code record_text} ({@code bytea}) is written in its hex input form
 * {@code \x...}.
 */
public final class DeadLetterJson implements RecordJson<DeadLetter> {

    private static final long serialVersionUID = 1L;

    @Override
    public void write(DeadLetter letter, JsonGenerator out) throws IOException {
        DeadLetterTable.Row row = DeadLetterTable.columns(letter);
        out.writeStartObject();
        out.writeStringField("letter_key", row.key().toString());
        out.writeStringField("dataset", row.dataset());
        out.writeStringField("stage", row.stage());
        out.writeStringField("reason", row.reason());
        out.writeStringField("message", row.message());
        out.writeFieldName("record");
        if (row.record() == null) {
            out.writeNull();
        } else {
            out.writeRawValue(row.record());
        }
        out.writeStringField(
                "record_text",
                row.recordText() == null ? null : "\\x" + HexFormat.of().formatHex(row.recordText()));
        out.writeStringField("raw", row.raw());
        out.writeStringField("raw_encoding", row.rawEncoding());
        out.writeStringField("origin", row.origin());
        out.writeStringField(
                "rejected_at", Instant.ofEpochMilli(row.rejectedAtMillis()).toString());
        out.writeEndObject();
    }

    @Override
    public DeadLetter read(JsonNode node) {
        JsonNode record = node.get("record");
        String recordText = text(node, "record_text");
        return new DeadLetter(
                text(node, "dataset"),
                DeadLetter.Stage.ofLabel(text(node, "stage")),
                text(node, "reason"),
                text(node, "message"),
                record != null && !record.isNull()
                        ? record.toString()
                        : recordText == null
                                ? null
                                : new String(HexFormat.of().parseHex(recordText.substring(2)), StandardCharsets.UTF_8),
                text(node, "raw"),
                DeadLetter.RawEncoding.ofLabel(text(node, "raw_encoding")),
                text(node, "origin"),
                Instant.parse(text(node, "rejected_at")).toEpochMilli());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
