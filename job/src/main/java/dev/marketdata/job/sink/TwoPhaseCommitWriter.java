package dev.marketdata.job.sink;

import dev.marketdata.job.MarketDataMetrics;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes all batches between two checkpoints into one transaction and prepares it ({@code PREPARE TRANSACTION})
 * when the checkpoint is taken; {@link PgCommitter} commits it once the checkpoint completes.
 *
 * <p>On start it rolls back the prepared transactions of earlier runs that no checkpoint it restores from
 * names: those with a checkpoint number above the restored one, prepared by a writer subtask that maps onto
 * this one at the current parallelism. Nobody else ever commits them, and an orphaned prepared transaction
 * holds its locks and blocks vacuum.
 */
final class TwoPhaseCommitWriter<T> extends BatchingWriter<T>
        implements CommittingSinkWriter<T, PgTransaction>, StatefulSinkWriter<T, TransactionIds> {

    private static final Logger LOG = LoggerFactory.getLogger(TwoPhaseCommitWriter.class);

    private final TransactionIds ids;
    private final int subtask;
    private final Counter transactionsPrepared;
    private long lastCheckpointId;
    private long lastPreparedNumber;
    private boolean dirty;

    TwoPhaseCommitWriter(JdbcSettings jdbc, PgTable<T> table, SinkSettings settings, String transactionPrefix,
            WriterInitContext context, Collection<TransactionIds> restored) throws IOException {
        super(jdbc, table, settings, context);
        this.subtask = context.getTaskInfo().getIndexOfThisSubtask();
        this.lastCheckpointId = context.getRestoredCheckpointId().orElse(0L);
        this.transactionsPrepared = metrics.counter(MarketDataMetrics.TRANSACTIONS_PREPARED);
        Counter orphans = metrics.counter(MarketDataMetrics.ORPHANS_ROLLED_BACK);
        // ROLLBACK PREPARED cannot run inside a transaction block: a connection of its own, in auto-commit.
        try (Connection c = jdbc.connect()) {
            c.setAutoCommit(true);
            if (PreparedTransactions.maxPreparedTransactions(c) == 0) {
                throw new IOException(PreparedTransactions.whyExactlyOnceIsImpossible(jdbc));
            }
            this.ids = TransactionIds.of(transactionPrefix, PreparedTransactions.currentDatabase(c), table.name());
            Set<TransactionIds> namespaces = new LinkedHashSet<>(restored);
            namespaces.add(ids);
            int parallelism = context.getTaskInfo().getNumberOfParallelSubtasks();
            for (TransactionIds namespace : namespaces) {
                for (String gid : PreparedTransactions.list(c, namespace.gidPrefix())) {
                    if (namespace.subtaskOf(gid) % parallelism == subtask
                            && namespace.checkpointOf(gid) > lastCheckpointId
                            && PreparedTransactions.rollback(c, gid)) {
                        orphans.inc();
                        LOG.info("Rolled back {}: prepared after checkpoint {}, which this job resumes from",
                                gid, lastCheckpointId);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IOException("Cannot clean up the prepared transactions of " + transactionPrefix + " in "
                    + jdbc.redactedUrl(), e);
        }
    }

    @Override
    protected void afterBatch(Connection connection) {
        dirty = true;
    }

    @Override
    public Collection<PgTransaction> prepareCommit() throws IOException, InterruptedException {
        writeBatch();
        if (!dirty) {
            return List.of();
        }
        // Strictly increasing, and above every checkpoint this writer has seen (see TransactionIds).
        long number = Math.max(lastCheckpointId + 1, lastPreparedNumber + 1);
        String gid = ids.gid(subtask, number);
        try {
            PreparedTransactions.prepare(connection(), gid);
        } catch (SQLException e) {
            closeConnection();
            throw new IOException("Cannot prepare transaction " + gid + " (SQLState " + e.getSQLState() + "): "
                    + e.getMessage(), e);
        }
        lastPreparedNumber = number;
        dirty = false;
        transactionsPrepared.inc();
        return List.of(new PgTransaction(gid));
    }

    @Override
    public List<TransactionIds> snapshotState(long checkpointId) {
        lastCheckpointId = checkpointId;
        return List.of(ids);
    }
}
