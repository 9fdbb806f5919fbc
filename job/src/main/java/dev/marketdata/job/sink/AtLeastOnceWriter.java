package dev.marketdata.job.sink;

import java.sql.Connection;
import java.sql.SQLException;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** Commits every batch as soon as it is written; replays after a restore land idempotently on their keys. */
final class AtLeastOnceWriter<T> extends BatchingWriter<T> {

    AtLeastOnceWriter(JdbcSettings jdbc, PgTable<T> table, SinkSettings settings, WriterInitContext context) {
        super(jdbc, table, settings, context);
    }

    @Override
    protected void afterBatch(Connection connection) throws SQLException {
        connection.commit();
    }
}
