package dev.marketdata.job.sink.internal.writer;

import dev.marketdata.job.core.MarketDataMetrics;
import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.dlq.DeadLetterRoute;
import dev.marketdata.job.dlq.StagedDeadLetters;
import dev.marketdata.job.sink.config.JdbcSettings;
import dev.marketdata.job.sink.config.SinkSettings;
import dev.marketdata.job.sink.internal.resilience.SqlStateClassifier;
import dev.marketdata.job.sink.internal.twophase.PgCommitter;
import dev.marketdata.job.sink.table.PgBatchWriter;
import dev.marketdata.job.sink.table.PgTable;
import dev.marketdata.job.sink.twophase.PgTransaction;
import dev.marketdata.job.sink.twophase.PreparedTransactionSlots;
import dev.marketdata.job.sink.twophase.PreparedTransactions;
import dev.marketdata.job.sink.twophase.TransactionIds;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
 * holds its locks and blocks vacuum. Their staged dead-letter files go with them. A start that restores nothing
 * rolls back all of its own: that is a restart before the job's first completed checkpoint, whose
 * transactions no checkpoint covers. Leftovers of an earlier run are another matter (a completed checkpoint of
 * that run may cover them, its source positions already past their rows): the job's start refuses to go on
 * without a restore while any exist ({@link dev.marketdata.job.StartChecks}), before this writer ever runs.
 *
 * <p>A {@code PREPARE} that finds every prepared-transaction slot of the server taken fails the job at once with
 * {@link PreparedTransactionSlots.ExhaustedException}, not after the retry budget: no retry frees a slot.
 *
 * <p>The open transaction dies with its connection. So the writer keeps what it wrote since the last prepare
 * (and the dead letters it inserted with them), and after a reconnect rewrites it into the new transaction before
 * it goes on; retrying only the failed batch would silently lose the batches before it. It keeps each batch as the
 * encoded {@code COPY} stream it sent ({@link TransactionLog}), by default in a temporary file rather than on the
 * heap ({@code sink.transaction-log}).
 */
public final class TwoPhaseCommitWriter<T> extends BatchingWriter<T>
        implements CommittingSinkWriter<T, PgTransaction>, StatefulSinkWriter<T, TransactionIds> {

    private static final Logger LOG = LoggerFactory.getLogger(TwoPhaseCommitWriter.class);

    private final JdbcSettings jdbc;
    private final RefusedRows refusedRows;
    private final TransactionIds ids;
    private final int subtask;
    private final int parallelism;
    private final int sinksInJob;
    private final Counter transactionsPrepared;
    /** The batches in the open transaction, as sent. */
    private final TransactionLog<T> transactionRows;
    /** Dead letters inserted in the open transaction (table destination). */
    private final Map<UUID, DeadLetter> transactionLetters = new LinkedHashMap<>();

    private long lastCheckpointId;
    private long lastPreparedNumber;
    private boolean dirty;
    /** The open transaction was lost with its connection: rewrite it before anything else. */
    private boolean lost;

    /** A writer of the job's only exactly-once PostgreSQL sink. */
    public TwoPhaseCommitWriter(
            JdbcSettings jdbc,
            PgTable<T> table,
            SinkSettings settings,
            DeadLetterRoute.ForRefusedRows deadLetters,
            String transactionPrefix,
            WriterInitContext context,
            Collection<TransactionIds> restored)
            throws IOException, InterruptedException {
        this(jdbc, table, settings, deadLetters, transactionPrefix, 1, context, restored);
    }

    /** @param sinksInJob the job's exactly-once PostgreSQL sinks, for the line when the server runs out of slots */
    public TwoPhaseCommitWriter(
            JdbcSettings jdbc,
            PgTable<T> table,
            SinkSettings settings,
            DeadLetterRoute.ForRefusedRows deadLetters,
            String transactionPrefix,
            int sinksInJob,
            WriterInitContext context,
            Collection<TransactionIds> restored)
            throws IOException, InterruptedException {
        super(jdbc, table, settings, context, true);
        this.jdbc = jdbc;
        this.transactionRows = new TransactionLog<>(settings.transactionLog());
        this.refusedRows = deadLetters instanceof DeadLetterRoute.Files files
                ? new RefusedRows.StagedFiles(new StagedDeadLetters(files.dirUri(), table.dataset()), this::currentGid)
                : RefusedRows.inTransaction(deadLetters, subject());
        this.subtask = context.getTaskInfo().getIndexOfThisSubtask();
        this.sinksInJob = sinksInJob;
        this.lastCheckpointId = context.getRestoredCheckpointId().orElse(0L);
        this.transactionsPrepared = metrics().counter(MarketDataMetrics.TRANSACTIONS_PREPARED);
        Counter orphans = metrics().counter(MarketDataMetrics.ORPHANS_ROLLED_BACK);
        this.parallelism = context.getTaskInfo().getNumberOfParallelSubtasks();
        try {
            this.ids = rollBackOrphans(transactionPrefix, restored, parallelism, orphans);
            if (deadLetters instanceof DeadLetterRoute.Files files) {
                discardOrphanedDeadLetters(files.dirUri(), restored, parallelism);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // Flink never closes a writer it could not create.
            try {
                close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private TransactionIds rollBackOrphans(
            String transactionPrefix, Collection<TransactionIds> restored, int parallelism, Counter orphans)
            throws IOException, InterruptedException {
        return retrier()
                .run(
                        "roll back orphaned prepared transactions",
                        () -> {
                            // ROLLBACK PREPARED cannot run inside a transaction block: a connection of its own, in
                            // auto-commit.
                            try (Connection c = jdbc.connect()) {
                                c.setAutoCommit(true);
                                if (PreparedTransactions.maxPreparedTransactions(c) == 0) {
                                    throw new IOException(PreparedTransactions.whyExactlyOnceIsImpossible(jdbc));
                                }
                                TransactionIds own = TransactionIds.of(
                                        transactionPrefix, PreparedTransactions.currentDatabase(c), table().name());
                                for (TransactionIds namespace : namespaces(restored, own)) {
                                    for (String gid : PreparedTransactions.list(c, namespace.gidPrefix())) {
                                        if (isOrphan(namespace, gid, parallelism)
                                                && PreparedTransactions.rollback(c, gid)) {
                                            orphans.inc();
                                            LOG.info(
                                                    "Rolled back {}: prepared after checkpoint {}, which this job resumes from",
                                                    gid,
                                                    lastCheckpointId);
                                        }
                                    }
                                }
                                return own;
                            }
                        },
                        e -> {});
    }

    private void discardOrphanedDeadLetters(String dlqDir, Collection<TransactionIds> restored, int parallelism)
            throws IOException {
        for (TransactionIds namespace : namespaces(restored, ids)) {
            for (String gid : StagedDeadLetters.stagedGids(dlqDir, table().dataset(), namespace.gidPrefix())) {
                if (isOrphan(namespace, gid, parallelism)) {
                    StagedDeadLetters.discard(dlqDir, table().dataset(), gid);
                    LOG.info("Deleted the staged dead letters of {}, which never committed", gid);
                }
            }
        }
    }

    private static Set<TransactionIds> namespaces(Collection<TransactionIds> restored, TransactionIds own) {
        Set<TransactionIds> namespaces = new LinkedHashSet<>(restored);
        namespaces.add(own);
        return namespaces;
    }

    private boolean isOrphan(TransactionIds namespace, String gid, int parallelism) {
        return namespace.subtaskOf(gid) % parallelism == subtask && namespace.checkpointOf(gid) > lastCheckpointId;
    }

    /** The gid the open transaction will be prepared under: strictly increasing, above every checkpoint seen. */
    private String currentGid() {
        return ids.gid(subtask, currentNumber());
    }

    private long currentNumber() {
        return Math.max(lastCheckpointId + 1, lastPreparedNumber + 1);
    }

    @Override
    RefusedRows refusedRows() {
        return refusedRows;
    }

    @Override
    void beforeBatch(Connection connection) throws SQLException, IOException {
        if (lost) {
            rewrite(connection);
        }
    }

    /** Writes everything the lost transaction held into the connection's new one. */
    private void rewrite(Connection connection) throws SQLException, IOException {
        connection().attemptStarted();
        // Batch by batch, in the order written: the same statements on the same rows, each key's last version last.
        transactionRows.replay(new TransactionLog.Replay<>() {
            @Override
            public void copied(byte[] stream) throws SQLException, IOException {
                try {
                    batchWriter().copyAgain(connection, stream);
                } catch (SQLException e) {
                    if (!SqlStateClassifier.isDataError(e)) {
                        throw e;
                    }
                    // A batch the table took minutes ago refuses to go in again (the table changed meanwhile, a
                    // key exists now): replaying from the checkpoint sorts it out, and dead-letters what must be,
                    // without guesswork here.
                    throw new IOException(
                            String.format(
                                    "%s: rewriting the transaction lost with its connection, the "
                                            + "table refused a batch it had taken before, with SQLState %s: %s",
                                    subject(), e.getSQLState(), PgBatchWriter.messageOf(e)),
                            e);
                }
            }

            @Override
            public void rows(List<T> rows) throws SQLException, IOException {
                PgBatchWriter.Result<T> result = batchWriter().write(connection, rows);
                if (!result.rejected().isEmpty()) {
                    // Rows the table took minutes ago refuse to go in again (the table changed meanwhile):
                    // replaying from the checkpoint sorts them out, and dead-letters them, without guesswork here.
                    PgBatchWriter.Rejected<T> first = result.rejected().get(0);
                    throw new IOException(String.format(
                            "%s: rewriting the transaction lost with its connection, the "
                                    + "table refused %d row(s) it had taken before, first with SQLState %s: %s",
                            subject(), result.rejected().size(), first.sqlState(), first.message()));
                }
            }
        });
        if (refusedRows instanceof RefusedRows.InTransactionTable inTable && !transactionLetters.isEmpty()) {
            inTable.write(connection, new ArrayList<>(transactionLetters.values()));
        }
        connection().attemptEnded();
        lost = false;
        LOG.info(
                "{}: rewrote the {} rows ({} bytes of COPY streams) and {} dead letters of the transaction lost with"
                        + " its connection",
                subject(),
                transactionRows.rows(),
                transactionRows.bytes(),
                transactionLetters.size());
    }

    @Override
    void afterBatch(
            Connection connection, List<T> rows, PgBatchWriter.Result<T> result, List<DeadLetter> lettersInTransaction)
            throws IOException {
        if (result.copied() != null) {
            transactionRows.addCopied(result.copied(), rows.size());
        } else {
            Set<T> refused = Collections.newSetFromMap(new IdentityHashMap<>());
            result.rejected().forEach(r -> refused.add(r.row()));
            List<T> written = new ArrayList<>(rows.size());
            for (T row : rows) {
                if (!refused.contains(row)) {
                    written.add(row);
                }
            }
            transactionRows.addRows(written);
        }
        lettersInTransaction.forEach(letter -> transactionLetters.put(letter.key(), letter));
        dirty = true;
    }

    @Override
    void transactionLost() {
        lost = true;
    }

    @Override
    public Collection<PgTransaction> prepareCommit() throws IOException, InterruptedException {
        writeBatch();
        if (!dirty) {
            return List.of();
        }
        long number = currentNumber();
        String gid = ids.gid(subtask, number);
        String deadLetterFile = refusedRows instanceof RefusedRows.StagedFiles files
                ? files.staged().seal(gid)
                : null;
        retrier()
                .run(
                        "prepare transaction " + gid,
                        () -> {
                            Connection c = connection().get();
                            // PREPARE may have gone through just before the connection broke: then it is done.
                            if (lost && PreparedTransactions.exists(c, gid)) {
                                return null;
                            }
                            beforeBatch(c);
                            try {
                                PreparedTransactions.prepare(c, gid);
                            } catch (SQLException e) {
                                if (PreparedTransactionSlots.SLOTS_EXHAUSTED.equals(e.getSQLState())) {
                                    connection().close();
                                    lost = true;
                                    throw slotsExhausted(e);
                                }
                                throw e;
                            }
                            return null;
                        },
                        e -> {
                            // A failed PREPARE aborts the transaction, whatever the cause.
                            connection().close();
                            lost = true;
                        });
        transactionRows.clear();
        transactionLetters.clear();
        lost = false;
        lastPreparedNumber = number;
        dirty = false;
        transactionsPrepared.inc();
        return List.of(new PgTransaction(gid, deadLetterFile));
    }

    /** The error a PREPARE that found no free slot fails the job with: the line the start check would have said. */
    private PreparedTransactionSlots.ExhaustedException slotsExhausted(SQLException e) {
        String line;
        try (Connection c = jdbc.connect()) {
            line = PreparedTransactionSlots.line(
                    PreparedTransactionSlots.Server.of(c, ids.jobGidPrefix()),
                    sinksInJob,
                    parallelism,
                    jdbc.redactedUrl());
        } catch (SQLException unreadable) {
            e.addSuppressed(unreadable);
            line = String.format(
                    "exactly-once needs up to %d prepared transactions, but the PostgreSQL server at %s "
                            + "has no free one (%s). Raise its max_prepared_transactions, lower --parallelism, or run "
                            + "with --delivery at-least-once.",
                    PreparedTransactionSlots.needed(sinksInJob, parallelism), jdbc.redactedUrl(), e.getMessage());
        }
        LOG.error(
                "{}: PREPARE TRANSACTION failed with SQLState {} ({}): {}",
                subject(),
                e.getSQLState(),
                e.getMessage(),
                line);
        PreparedTransactionSlots.ExhaustedException exhausted = new PreparedTransactionSlots.ExhaustedException(line);
        // Suppressed, not the cause: the line is what a user must read first, and tools show the root cause.
        exhausted.addSuppressed(e);
        return exhausted;
    }

    @Override
    public void close() throws Exception {
        try (TransactionLog<T> log = transactionRows) {
            super.close();
        }
    }

    @Override
    public List<TransactionIds> snapshotState(long checkpointId) {
        lastCheckpointId = checkpointId;
        return List.of(ids);
    }
}
