package dev.marketdata.job.sink;

import dev.marketdata.job.core.MarketDataMetrics;
import dev.marketdata.job.dlq.DeadLetterRoute;
import dev.marketdata.job.sink.config.JdbcSettings;
import dev.marketdata.job.sink.config.SinkSettings;
import dev.marketdata.job.sink.internal.resilience.SubtaskBreakers;
import dev.marketdata.job.sink.internal.twophase.PgCommitter;
import dev.marketdata.job.sink.internal.writer.TwoPhaseCommitWriter;
import dev.marketdata.job.sink.table.PgTable;
import dev.marketdata.job.sink.twophase.PgTransaction;
import dev.marketdata.job.sink.twophase.PreparedTransactionSlots;
import dev.marketdata.job.sink.twophase.TransactionIds;
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
import org.apache.flink.util.FlinkRuntimeException;

/**
 * Writes one data set into its table exactly once, with PostgreSQL's two-phase commit: each writer subtask's
 * rows of one checkpoint are one prepared transaction, committed when the checkpoint completes. Needs
 * {@code max_prepared_transactions > 0} on the server, and enough of them for every such sink of the job: see
 * {@link PreparedTransactionSlots}.
 */
public final class ExactlyOncePostgresSink<T>
        implements Sink<T>, SupportsCommitter<PgTransaction>, SupportsWriterState<T, TransactionIds> {

    private static final long serialVersionUID = 1L;

    private final JdbcSettings jdbc;
    private final PgTable<T> table;
    private final SinkSettings settings;
    private final DeadLetterRoute.ForRefusedRows deadLetters;
    private final String transactionPrefix;
    private final int sinksInJob;

    /** A sink that is the job's only exactly-once PostgreSQL sink. */
    public ExactlyOncePostgresSink(
            JdbcSettings jdbc,
            PgTable<T> table,
            SinkSettings settings,
            DeadLetterRoute.ForRefusedRows deadLetters,
            String transactionPrefix) {
        this(jdbc, table, settings, deadLetters, transactionPrefix, 1);
    }

    /**
     * @param deadLetters where rows the table refuses go
     * @param transactionPrefix names this job's prepared transactions (with the table); two jobs writing into
     *     one database at the same time need different prefixes
     * @param sinksInJob how many exactly-once PostgreSQL sinks the job has, this one included: what the line says
     *     when the server runs out of prepared-transaction slots ({@link PreparedTransactionSlots#line})
     */
    public ExactlyOncePostgresSink(
            JdbcSettings jdbc,
            PgTable<T> table,
            SinkSettings settings,
            DeadLetterRoute.ForRefusedRows deadLetters,
            String transactionPrefix,
            int sinksInJob) {
        this.jdbc = jdbc;
        this.table = table;
        this.settings = settings;
        this.deadLetters = deadLetters;
        this.transactionPrefix = transactionPrefix;
        this.sinksInJob = sinksInJob;
    }

    @Override
    public StatefulSinkWriter<T, TransactionIds> createWriter(WriterInitContext context) throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<T, TransactionIds> restoreWriter(
            WriterInitContext context, Collection<TransactionIds> recoveredState) throws IOException {
        try {
            return new TwoPhaseCommitWriter<>(
                    jdbc, table, settings, deadLetters, transactionPrefix, sinksInJob, context, recoveredState);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkRuntimeException("Interrupted while starting the writer of " + table.name(), e);
        }
    }

    @Override
    public SimpleVersionedSerializer<TransactionIds> getWriterStateSerializer() {
        return new TransactionIds.Serializer();
    }

    @Override
    public Committer<PgTransaction> createCommitter(CommitterInitContext context) {
        return new PgCommitter(
                jdbc,
                settings.retry(),
                table.name() + " committer (subtask " + context.getTaskInfo().getIndexOfThisSubtask() + ")",
                SubtaskBreakers.Key.of(context.getJobInfo().getJobId(), table.name(), context.getTaskInfo()),
                context.metricGroup().addGroup(MarketDataMetrics.TABLE_GROUP, table.name()));
    }

    @Override
    public SimpleVersionedSerializer<PgTransaction> getCommittableSerializer() {
        return new PgTransaction.Serializer();
    }
}
