package dev.marketdata.job.sink;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Writes one data set into its table exactly once, with PostgreSQL's two-phase commit: each writer subtask's
 * rows of one checkpoint are one prepared transaction, committed when the checkpoint completes. Needs
 * {@code max_prepared_transactions > 0} on the server.
 */
public final class ExactlyOncePostgresSink<T>
        implements Sink<T>, SupportsCommitter<PgTransaction>, SupportsWriterState<T, TransactionIds> {

    private static final long serialVersionUID = 1L;

    private final JdbcSettings jdbc;
    private final PgTable<T> table;
    private final SinkSettings settings;
    private final String transactionPrefix;

    /**
     * @param transactionPrefix names this job's prepared transactions (with the table); two jobs writing into
     *     one database at the same time need different prefixes
     */
    public ExactlyOncePostgresSink(JdbcSettings jdbc, PgTable<T> table, SinkSettings settings, String transactionPrefix) {
        this.jdbc = jdbc;
        this.table = table;
        this.settings = settings;
        this.transactionPrefix = transactionPrefix;
    }

    @Override
    public StatefulSinkWriter<T, TransactionIds> createWriter(WriterInitContext context) throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<T, TransactionIds> restoreWriter(
            WriterInitContext context, Collection<TransactionIds> recoveredState) throws IOException {
        return new TwoPhaseCommitWriter<>(jdbc, table, settings, transactionPrefix, context, recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<TransactionIds> getWriterStateSerializer() {
        return new TransactionIds.Serializer();
    }

    @Override
    public Committer<PgTransaction> createCommitter(CommitterInitContext context) {
        return new PgCommitter(jdbc, context.metricGroup().addGroup(
                dev.marketdata.job.MarketDataMetrics.TABLE_GROUP, table.name()));
    }

    @Override
    public SimpleVersionedSerializer<PgTransaction> getCommittableSerializer() {
        return new PgTransaction.Serializer();
    }
}
