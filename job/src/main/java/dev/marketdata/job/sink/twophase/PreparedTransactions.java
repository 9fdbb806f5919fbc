package dev.marketdata.job.sink.twophase;

import dev.marketdata.job.sink.config.JdbcSettings;
import dev.marketdata.job.sink.internal.resilience.SqlStateClassifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** PostgreSQL's two-phase commit statements, as the exactly-once sink uses them. */
public final class PreparedTransactions {

    /** SQLState when {@code COMMIT/ROLLBACK PREPARED} names no prepared transaction. */
    private PreparedTransactions() {}

    /** The server's {@code max_prepared_transactions}: 0 means two-phase commit is off. */
    public static int maxPreparedTransactions(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SHOW max_prepared_transactions")) {
            rs.next();
            return Integer.parseInt(rs.getString(1));
        }
    }

    public static String currentDatabase(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** One line telling the user how to enable prepared transactions, or null when they are on. */
    public static String whyExactlyOnceIsImpossible(JdbcSettings jdbc) throws SQLException {
        try (Connection connection = jdbc.connect()) {
            if (maxPreparedTransactions(connection) > 0) {
                return null;
            }
        }
        return "exactly-once needs prepared transactions, but the PostgreSQL server at " + jdbc.redactedUrl()
                + " has max_prepared_transactions = 0. Raise it (ALTER SYSTEM SET max_prepared_transactions = 64; "
                + "then restart the server), or run with --delivery at-least-once.";
    }

    /** Prepares the connection's open transaction under {@code gid}; the connection is free afterwards. */
    public static void prepare(Connection connection, String gid) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("PREPARE TRANSACTION " + TransactionIds.literal(gid));
        }
    }

    /**
     * Commits a prepared transaction (needs an auto-commit connection).
     *
     * @return false when no such transaction exists, i.e. it was committed before
     */
    public static boolean commit(Connection connection, String gid) throws SQLException {
        return finish(connection, "COMMIT PREPARED ", gid);
    }

    /**
     * Rolls back a prepared transaction (needs an auto-commit connection).
     *
     * @return false when no such transaction exists
     */
    public static boolean rollback(Connection connection, String gid) throws SQLException {
        return finish(connection, "ROLLBACK PREPARED ", gid);
    }

    private static boolean finish(Connection connection, String statement, String gid) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(statement + TransactionIds.literal(gid));
            return true;
        } catch (SQLException e) {
            if (SqlStateClassifier.UNDEFINED_OBJECT.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /** Whether a transaction is prepared under {@code gid} (and not yet committed or rolled back). */
    public static boolean exists(Connection connection, String gid) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT 1 FROM pg_prepared_xacts WHERE gid = ?")) {
            s.setString(1, gid);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The gids of this database's prepared transactions that start with {@code prefix}. */
    public static List<String> list(Connection connection, String prefix) throws SQLException {
        List<String> gids = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT gid FROM pg_prepared_xacts "
                + "WHERE database = current_database() AND starts_with(gid, ?) ORDER BY gid")) {
            s.setString(1, prefix);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    gids.add(rs.getString(1));
                }
            }
        }
        return gids;
    }
}
