package dev.marketdata.job.sink;

import dev.marketdata.job.MarketDataMetrics;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the prepared transactions of completed checkpoints ({@code COMMIT PREPARED}), idempotently: one
 * already committed (before a crash, say) is not an error. Lost connections are retried; anything else fails
 * the job rather than guess.
 */
final class PgCommitter implements Committer<PgTransaction> {

    private static final Logger LOG = LoggerFactory.getLogger(PgCommitter.class);

    private final JdbcSettings jdbc;
    private final Counter committed;
    private final Counter alreadyCommitted;
    private Connection connection;

    PgCommitter(JdbcSettings jdbc, MetricGroup metrics) {
        this.jdbc = jdbc;
        this.committed = metrics.counter(MarketDataMetrics.TRANSACTIONS_COMMITTED);
        this.alreadyCommitted = metrics.counter(MarketDataMetrics.TRANSACTIONS_ALREADY_COMMITTED);
    }

    @Override
    public void commit(Collection<CommitRequest<PgTransaction>> requests) {
        for (CommitRequest<PgTransaction> request : requests) {
            String gid = request.getCommittable().gid();
            try {
                if (PreparedTransactions.commit(connection(), gid)) {
                    committed.inc();
                } else {
                    // Committed before a failure, and now replayed from the checkpoint.
                    LOG.info("{} was already committed", gid);
                    alreadyCommitted.inc();
                    request.signalAlreadyCommitted();
                }
            } catch (SQLException e) {
                close();
                if (isTransient(e)) {
                    LOG.warn("Commit of {} failed (SQLState {}), will retry: {}", gid, e.getSQLState(), e.getMessage());
                    request.retryLater();
                } else {
                    request.signalFailedWithUnknownReason(e);
                }
            }
        }
    }

    /** Connection trouble or a server going down: worth another try. */
    static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("53") || state.startsWith("57P");
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = jdbc.connect();
            // COMMIT PREPARED cannot run inside a transaction block.
            connection.setAutoCommit(true);
        }
        return connection;
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closing a failed connection.
            }
            connection = null;
        }
    }
}
