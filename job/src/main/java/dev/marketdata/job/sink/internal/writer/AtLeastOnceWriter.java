package dev.marketdata.job.sink.internal.writer;

import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.dlq.DeadLetterRoute;
import dev.marketdata.job.sink.config.JdbcSettings;
import dev.marketdata.job.sink.config.SinkSettings;
import dev.marketdata.job.sink.table.PgBatchWriter;
import dev.marketdata.job.sink.table.PgTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Commits every batch as soon as it is written; replays after a restore land idempotently on their keys. The
 * dead letters of refused rows are committed with their batch (table), or written after it to files named after
 * each letter's key ({@link RefusedRows.KeyedFiles}).
 */
public final class AtLeastOnceWriter<T> extends BatchingWriter<T> {

    private final RefusedRows refusedRows;

    /** @param deadLetters where refused rows go */
    public AtLeastOnceWriter(
            JdbcSettings jdbc,
            PgTable<T> table,
            SinkSettings settings,
            DeadLetterRoute.ForRefusedRows deadLetters,
            WriterInitContext context) {
        super(jdbc, table, settings, context);
        this.refusedRows = deadLetters instanceof DeadLetterRoute.Files files
                ? new RefusedRows.KeyedFiles(files.dirUri())
                : RefusedRows.inTransaction(deadLetters, subject());
    }

    @Override
    RefusedRows refusedRows() {
        return refusedRows;
    }

    @Override
    void afterBatch(
            Connection connection, List<T> rows, PgBatchWriter.Result<T> result, List<DeadLetter> lettersInTransaction)
            throws SQLException {
        connection.commit();
    }
}
