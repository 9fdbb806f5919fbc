package dev.marketdata.job.sink;

import dev.marketdata.job.dlq.DeadLetterRoute;
import dev.marketdata.job.sink.config.JdbcSettings;
import dev.marketdata.job.sink.config.SinkSettings;
import dev.marketdata.job.sink.internal.writer.AtLeastOnceWriter;
import dev.marketdata.job.sink.table.PgTable;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Writes one data set into its PostgreSQL table, at least once and idempotently: every checkpoint first writes
 * and commits everything buffered, and a replay after a restore rewrites the same rows to the same values.
 */
public final class AtLeastOncePostgresSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final JdbcSettings jdbc;
    private final PgTable<T> table;
    private final SinkSettings settings;
    private final DeadLetterRoute.ForRefusedRows deadLetters;

    /** @param deadLetters where rows the table refuses go */
    public AtLeastOncePostgresSink(
            JdbcSettings jdbc, PgTable<T> table, SinkSettings settings, DeadLetterRoute.ForRefusedRows deadLetters) {
        this.jdbc = jdbc;
        this.table = table;
        this.settings = settings;
        this.deadLetters = deadLetters;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new AtLeastOnceWriter<>(jdbc, table, settings, deadLetters, context);
    }
}
