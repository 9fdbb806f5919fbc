package dev.marketdata.job.sink.internal.writer;

import dev.marketdata.job.sink.config.JdbcSettings;
import dev.marketdata.job.sink.internal.resilience.SqlStateClassifier;
import dev.marketdata.job.sink.table.BrokenTransactionException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A writer's one connection, opened when first needed, and what its open transaction holds: whether an attempt
 * that failed before it ended left part of itself in it ({@link #attemptStarted}, {@link #attemptEnded}).
 */
final class ConnectionHolder {

    /**
     * How long one statement waits for a row lock before it fails (SQLState 55P03, retried): a row can be locked
     * by this writer's own prepared transaction of the previous checkpoint, whose commit runs on this same task
     * thread, so waiting on the lock would wait forever; between retries the task's mailbox runs the commit.
     */
    static final String LOCK_TIMEOUT = "200ms";

    private final JdbcSettings jdbc;
    private Connection connection;
    private boolean partlyWritten;

    ConnectionHolder(JdbcSettings jdbc) {
        this.jdbc = jdbc;
    }

    /** The open connection, or a new one (its transaction not yet begun). */
    Connection get() throws SQLException {
        if (connection == null) {
            Connection c = jdbc.connect();
            try (Statement s = c.createStatement()) {
                s.execute("SET lock_timeout = '" + LOCK_TIMEOUT + "'");
                c.commit();
            } catch (SQLException e) {
                closeQuietly(c);
                throw e;
            }
            connection = c;
        }
        return connection;
    }

    /** From now until {@link #attemptEnded}, a failure leaves part of the attempt in the open transaction. */
    void attemptStarted() {
        partlyWritten = true;
    }

    void attemptEnded() {
        partlyWritten = false;
    }

    /**
     * After a failed attempt: keeps the connection when the failure left its transaction as it was before the
     * attempt (the batch writer rolled back to its savepoint), drops it otherwise, and the transaction with it.
     *
     * @return whether the open transaction was lost
     */
    boolean afterFailure(SQLException e) {
        boolean keep = !partlyWritten
                && !(e instanceof BrokenTransactionException)
                && isOpen()
                && !SqlStateClassifier.losesConnection(e.getSQLState());
        partlyWritten = false;
        if (!keep) {
            close();
        }
        return !keep;
    }

    private boolean isOpen() {
        try {
            return connection != null && !connection.isClosed();
        } catch (SQLException e) {
            return false;
        }
    }

    /** Drops the connection, and with it any open transaction. */
    void close() {
        if (connection != null) {
            closeQuietly(connection);
            connection = null;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // The connection is dropped because it failed or the writer closes; a second failure adds nothing.
        }
    }
}
