package dev.marketdata.job.dlq;

import dev.marketdata.job.json.RecordJson;
import dev.marketdata.job.sink.BaseTable;
import dev.marketdata.job.sink.PgBinaryCopyBuffer;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The {@code dead_letters} table (see {@code sql/V7__create_dead_letters.sql}); key {@code letter_key}. */
public final class DeadLetterTable extends BaseTable<DeadLetter> {

    private static final long serialVersionUID = 1L;

    public static final String NAME = "dead_letters";

    private static final List<String> COLUMNS = List.of(
            "letter_key", "dataset", "stage", "reason", "message", "record", "raw", "raw_encoding", "origin",
            "rejected_at");
    private static final List<String> KEY = List.of("letter_key");

    public DeadLetterTable() {
        super(NAME, "dead_letters", COLUMNS, KEY);
    }

    @Override
    public UUID key(DeadLetter letter) {
        return letter.key();
    }

    @Override
    public void writeRow(DeadLetter letter, PgBinaryCopyBuffer out) {
        out.startRow(10);
        out.putUuid(letter.key());
        out.putText(letter.dataset());
        out.putText(letter.stage());
        out.putText(letter.reason());
        out.putText(letter.message());
        out.putJsonb(letter.record());
        out.putText(letter.raw());
        out.putText(letter.rawEncoding());
        out.putText(letter.origin());
        out.putTimestamptz(Instant.ofEpochMilli(letter.rejectedAtMillis()));
    }

    @Override
    public RecordJson<DeadLetter> json() {
        return new DeadLetterJson();
    }
}
