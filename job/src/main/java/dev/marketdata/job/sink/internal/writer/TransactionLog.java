package dev.marketdata.job.sink.internal.writer;

import dev.marketdata.job.sink.config.TransactionLogStore;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the open transaction of a {@link TwoPhaseCommitWriter} holds, batch by batch in the order written, so a
 * transaction lost with its connection can be written again: a batch that went in by one {@code COPY} as that
 * {@code COPY}'s encoded stream (about 100 bytes a bar), on the heap or in a temporary file
 * ({@link TransactionLogStore}); a batch that needed the upsert or lost refused rows as its written rows (rare:
 * replays, corrections, bad rows).
 *
 * <p>Holding rows as objects, and later as one array per batch, kept a checkpoint interval's bars alive on the heap
 * (106 MiB after GC at 300,000 bars/s with 1 s checkpoints, more with longer intervals, docs/benchmark.md). The file
 * is read only when a transaction was lost, which is rare, so appending to it costs a write into the page cache.
 *
 * <p>Replaying the batches in their order leaves the table as the lost transaction did: the same statements on the
 * same rows, each key's last version last.
 */
final class TransactionLog<T> implements AutoCloseable {

    /** One batch in the open transaction. */
    private sealed interface Entry<T> {}

    /** A COPY stream held on the heap. */
    private record InMemory<T>(byte[] stream) implements Entry<T> {}

    /** A COPY stream at {@code offset} of the file, {@code length} bytes. */
    private record InFile<T>(long offset, int length) implements Entry<T> {}

    /** The rows of a batch that was not one COPY. */
    private record Rows<T>(List<T> rows) implements Entry<T> {}

    private final TransactionLogStore store;
    private final List<Entry<T>> entries = new ArrayList<>();
    private FileChannel file;
    private int rows;
    private long bytes;

    TransactionLog(TransactionLogStore store) {
        this.store = store;
    }

    /**
     * A batch that went in by one COPY: {@code stream} as sent, holding {@code count} rows.
     *
     * @throws IOException if the temporary file cannot be created or written
     */
    void addCopied(byte[] stream, int count) throws IOException {
        switch (store) {
            case HEAP -> entries.add(new InMemory<>(stream));
            case DISK -> {
                write(stream, bytes);
                entries.add(new InFile<>(bytes, stream.length));
            }
        }
        rows += count;
        bytes += stream.length;
    }

    private void write(byte[] stream, long offset) throws IOException {
        if (file == null) {
            Path path = Files.createTempFile("mds-open-transaction-", ".copy");
            file = FileChannel.open(
                    path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
            // Unlinked while open: a killed TaskManager leaves nothing in the temporary directory.
            Files.deleteIfExists(path);
        }
        ByteBuffer buffer = ByteBuffer.wrap(stream);
        long position = offset;
        while (buffer.hasRemaining()) {
            position += file.write(buffer, position);
        }
    }

    /** A batch written otherwise: the rows it wrote. */
    void addRows(List<T> written) {
        if (!written.isEmpty()) {
            entries.add(new Rows<>(List.copyOf(written)));
            rows += written.size();
        }
    }

    /** Rows held, counting a key written twice twice. */
    int rows() {
        return rows;
    }

    /** Bytes of COPY streams held, on the heap or in the file. */
    long bytes() {
        return bytes;
    }

    /** Forgets everything: the transaction was prepared. */
    void clear() throws IOException {
        entries.clear();
        rows = 0;
        bytes = 0;
        if (file != null) {
            // Gives the pages back instead of keeping a checkpoint's worth of them cached.
            file.truncate(0);
        }
    }

    /** Receives the batches in order, to write them into a new transaction. */
    interface Replay<T> {
        void copied(byte[] stream) throws SQLException, IOException;

        void rows(List<T> rows) throws SQLException, IOException;
    }

    void replay(Replay<T> replay) throws SQLException, IOException {
        for (Entry<T> entry : entries) {
            if (entry instanceof InMemory<T> m) {
                replay.copied(m.stream());
            } else if (entry instanceof InFile<T> f) {
                replay.copied(read(f));
            } else if (entry instanceof Rows<T> r) {
                replay.rows(r.rows());
            }
        }
    }

    private byte[] read(InFile<T> entry) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(entry.length());
        long position = entry.offset();
        while (buffer.hasRemaining()) {
            int read = file.read(buffer, position);
            if (read < 0) {
                throw new EOFException("the open transaction's log file ends at " + position + ", before the batch at "
                        + entry.offset() + " (" + entry.length() + " bytes)");
            }
            position += read;
        }
        return buffer.array();
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            file.close();
            file = null;
        }
    }
}
