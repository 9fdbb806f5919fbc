package dev.marketdata.job.sink.internal.writer;

import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.dlq.DeadLetterFiles;
import dev.marketdata.job.dlq.DeadLetterSettings;
import dev.marketdata.job.sink.config.JdbcSettings;
import dev.marketdata.job.sink.config.SinkSettings;
import dev.marketdata.job.sink.table.PgBatchWriter;
import dev.marketdata.job.sink.table.PgTable;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Commits every batch as soon as it is written; replays after a restore land idempotently on their keys. The
 * dead letters of refused rows are committed with their batch (table), or written after it to files named after
 * each letter's key, so a replay that refuses the same row again rewrites the same file instead of adding a line.
 */
public final class AtLeastOnceWriter<T> extends BatchingWriter<T> {

    public AtLeastOnceWriter(JdbcSettings jdbc, PgTable<T> table, SinkSettings settings, DeadLetterSettings deadLetters,
            WriterInitContext context) {
        super(jdbc, table, settings, deadLetters, context);
    }

    @Override
    protected void afterBatch(Connection connection, List<T> rows, PgBatchWriter.Result<T> result,
            List<DeadLetter> lettersInTransaction) throws SQLException {
        connection.commit();
    }

    @Override
    protected void deadLettersToFiles(List<DeadLetter> letters) throws IOException {
        for (DeadLetter letter : letters) {
            DeadLetterFiles.writeKeyed(deadLetters.dir(), letter);
        }
    }
}
