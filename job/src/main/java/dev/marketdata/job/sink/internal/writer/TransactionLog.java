package dev.marketdata.job.sink.internal.writer;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the open transaction of a {@link TwoPhaseCommitWriter} holds, batch by batch in the order written, so a
 * transaction lost with its connection can be written again: a batch that went in by one {@code COPY} as that
 * {@code COPY}'s encoded stream (one {@code byte[]}, about 100 bytes a bar, instead of the row objects and a map
 * entry per row, which lived for a checkpoint interval and made the old generation's collections the cost of
 * exactly-once); a batch that needed the upsert or lost refused rows as its written rows (rare: replays,
 * corrections, bad rows).
 *
 * <p>Replaying the batches in their order leaves the table as the lost transaction did: the same statements on the
 * same rows, each key's last version last.
 */
final class TransactionLog<T> {

    /** One batch: its COPY stream, or else its rows. */
    private record Entry<T>(byte[] copied, List<T> rows) {}

    private final List<Entry<T>> entries = new ArrayList<>();
    private int rows;
    private long bytes;

    /** A batch that went in by one COPY: {@code stream} as sent, holding {@code count} rows. */
    void addCopied(byte[] stream, int count) {
        entries.add(new Entry<>(stream, null));
        rows += count;
        bytes += stream.length;
    }

    /** A batch written otherwise: the rows it wrote. */
    void addRows(List<T> written) {
        if (!written.isEmpty()) {
            entries.add(new Entry<>(null, List.copyOf(written)));
            rows += written.size();
        }
    }

    /** Rows held, counting a key written twice twice. */
    int rows() {
        return rows;
    }

    /** Bytes of COPY streams held. */
    long bytes() {
        return bytes;
    }

    void clear() {
        entries.clear();
        rows = 0;
        bytes = 0;
    }

    /** Receives the batches in order, to write them into a new transaction. */
    interface Replay<T> {
        void copied(byte[] stream) throws SQLException, IOException;

        void rows(List<T> rows) throws SQLException, IOException;
    }

    void replay(Replay<T> replay) throws SQLException, IOException {
        for (Entry<T> entry : entries) {
            if (entry.copied() != null) {
                replay.copied(entry.copied());
            } else {
                replay.rows(entry.rows());
            }
        }
    }
}
