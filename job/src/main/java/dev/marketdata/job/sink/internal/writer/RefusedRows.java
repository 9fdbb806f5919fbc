package dev.marketdata.job.sink.internal.writer;

import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.dlq.DeadLetterFiles;
import dev.marketdata.job.dlq.DeadLetterRoute;
import dev.marketdata.job.dlq.StagedDeadLetters;
import dev.marketdata.job.sink.table.DeadLetterTable;
import dev.marketdata.job.sink.table.PgBatchWriter;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a sink writer does with the rows its table refuses (data errors, isolated by {@link PgBatchWriter}): one
 * of four ways, fixed when the writer starts.
 */
sealed interface RefusedRows {

    /**
     * Called when a batch had refused rows, before any dead letter is made of them.
     *
     * @throws IOException if refused rows fail the task
     */
    default void check(String subject, PgBatchWriter.Result<?> result) throws IOException {}

    /**
     * Called in the batch's transaction, after its rows went in.
     *
     * @return the letters stored in that transaction (committed, or rolled back, with it)
     */
    default List<DeadLetter> inTransaction(Connection c, List<DeadLetter> letters) throws SQLException, IOException {
        return List.of();
    }

    /** Called once the batch is written, with its letters, unless {@link #inTransaction} stored them. */
    default void afterBatch(List<DeadLetter> letters) throws IOException {}

    default void close() {}

    /**
     * The way for a route that does not go to files, the same for both writers: into the table with the batch, or
     * fail the task.
     */
    static RefusedRows inTransaction(DeadLetterRoute.ForRefusedRows route, String subject) {
        if (route instanceof DeadLetterRoute.Table) {
            return new InTransactionTable(subject);
        }
        if (route instanceof DeadLetterRoute.FailTask) {
            return new FailTask();
        }
        throw new IllegalArgumentException("dead letters to files are written by the writer's own way: " + route);
    }

    /** No dead-letter queue: a refused row fails the task (the sink of the dead-letter table itself). */
    record FailTask() implements RefusedRows {

        @Override
        public void check(String subject, PgBatchWriter.Result<?> result) throws IOException {
            PgBatchWriter.Rejected<?> first = result.rejected().get(0);
            throw new IOException(String.format(
                    "%s refused %d row(s), and this sink has no dead-letter queue; first " + "with SQLState %s: %s",
                    subject, result.rejected().size(), first.sqlState(), first.message()));
        }
    }

    /** Into {@code dead_letters}, in the batch's own transaction: stored exactly when the batch is. */
    final class InTransactionTable implements RefusedRows {

        private final String subject;
        private final PgBatchWriter<DeadLetter> writer = new PgBatchWriter<>(new DeadLetterTable());

        InTransactionTable(String subject) {
            this.subject = subject;
        }

        @Override
        public List<DeadLetter> inTransaction(Connection c, List<DeadLetter> letters) throws SQLException, IOException {
            write(c, letters);
            return letters;
        }

        /** Inserts letters in the open transaction; one the table refuses fails the task (nowhere further). */
        void write(Connection c, List<DeadLetter> letters) throws SQLException, IOException {
            PgBatchWriter.Result<DeadLetter> result = writer.write(c, letters);
            if (!result.rejected().isEmpty()) {
                PgBatchWriter.Rejected<DeadLetter> first = result.rejected().get(0);
                throw new IOException(String.format(
                        "%s: the table %s refused %d dead letter(s), first with SQLState %s: %s",
                        subject, DeadLetterTable.NAME, result.rejected().size(), first.sqlState(), first.message()));
            }
        }
    }

    /**
     * At least once, to files: each letter, once its batch is committed, to a file named after its key, so a
     * replay that refuses the same row again rewrites the same file instead of adding a line.
     */
    record KeyedFiles(String dir) implements RefusedRows {

        @Override
        public void afterBatch(List<DeadLetter> letters) throws IOException {
            for (DeadLetter letter : letters) {
                DeadLetterFiles.writeKeyed(dir, letter);
            }
        }
    }

    /**
     * Exactly once, to files: staged with the open transaction, published by the committer after its commit.
     *
     * @param transaction the open transaction's gid, whose staged file takes the letters
     */
    record StagedFiles(StagedDeadLetters staged, Supplier<String> transaction) implements RefusedRows {

        @Override
        public void afterBatch(List<DeadLetter> letters) throws IOException {
            staged.add(transaction.get(), letters);
        }

        @Override
        public void close() {
            staged.close();
        }
    }
}
