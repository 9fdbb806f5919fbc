package dev.marketdata.job.sink.internal.writer;

import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.dlq.DeadLetterDestination;
import dev.marketdata.job.dlq.DeadLetterSettings;
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

    /** @param deadLetters where refused rows go; null for nowhere: a refused row fails the task */
    public AtLeastOnceWriter(JdbcSettings jdbc, PgTable<T> table, SinkSettings settings, DeadLetterSettings deadLetters,
            WriterInitContext context) {
        super(jdbc, table, settings, context);
        this.refusedRows = deadLetters == null ? new RefusedRows.FailTask()
                : deadLetters.destination() == DeadLetterDestination.TABLE ? new RefusedRows.InTransactionTable(subject())
                : new RefusedRows.KeyedFiles(deadLetters.dir());
    }

    @Override
    RefusedRows refusedRows() {
        return refusedRows;
    }

    @Override
    void afterBatch(Connection connection, List<T> rows, PgBatchWriter.Result<T> result,
            List<DeadLetter> lettersInTransaction) throws SQLException {
        connection.commit();
    }
}
