package dev.marketdata.job.sink.table;

import dev.marketdata.job.json.Json;
import dev.marketdata.job.json.RecordJson;
import dev.marketdata.job.sink.internal.resilience.SqlStateClassifier;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.util.PSQLException;

/**
 * Writes a batch of distinct-keyed rows into its table within the caller's transaction, idempotently, and
 * isolates the rows the table refuses.
 *
 * <p>It tries a plain binary {@code COPY} first (the fastest path in); only when a key already exists (a replay,
 * or a provider's correction) does it roll back to a savepoint and upsert the batch, so writing the same batch
 * twice leaves the table as it was. The upsert takes the batch as one JSON parameter rather than a staging
 * table because temporary tables cannot be part of a prepared (two-phase) transaction.
 *
 * <p>When the batch fails with a data error (SQLState class 22 or 23, see {@link SqlStateClassifier}), a
 * failed {@code COPY} does not say which row was at fault, so the batch is bisected: each half is written in a
 * savepoint of its own, a failing half is split again, down to single rows, which are returned as rejected with
 * their SQLState and message; every other row is written. With {@code k} bad rows among {@code n} that costs
 * about {@code 2 k log2(n)} statements; a half that follows a good sibling of a failed whole is split without
 * being tried, since it must hold the culprit.
 */
public final class PgBatchWriter<T> {

    /**
     * What became of a batch.
     *
     * @param rows rows in the batch
     * @param upserted rows written by the upsert because the batch hit an existing key
     * @param rejected rows the table refused, in batch order; all others were written
     * @param statements write statements (COPY or upsert) it took, bisection included
     * @param copied the whole {@code COPY} stream (header, rows, trailer) when the batch went in by that one
     *     {@code COPY} and the writer keeps streams, else null (upserted, or split to isolate refused rows): what
     *     {@link #copyAgain} takes
     */
    public record Result<T>(int rows, int upserted, List<Rejected<T>> rejected, int statements, byte[] copied) {

        public Result(int rows, int upserted, List<Rejected<T>> rejected, int statements) {
            this(rows, upserted, rejected, statements, null);
        }

        public int written() {
            return rows - rejected.size();
        }
    }

    /** A row the table refused, with the error it caused. */
    public record Rejected<T>(T row, String sqlState, String message) {}

    private final PgTable<T> table;
    private final RecordJson<T> json;
    private final String copySql;
    private final String upsertSql;
    private final PgBinaryCopyBuffer buffer = new PgBinaryCopyBuffer(1 << 16);
    private final Comparator<T> copyOrder;

    private final boolean keepCopied;

    public PgBatchWriter(PgTable<T> table) {
        this(table, false);
    }

    /** @param keepCopied whether results carry the {@code COPY} stream of a batch ({@link Result#copied}) */
    public PgBatchWriter(PgTable<T> table, boolean keepCopied) {
        this.keepCopied = keepCopied;
        this.table = table;
        this.json = table.json();
        this.copyOrder = table.copyOrder();
        String columns = String.join(", ", table.columns());
        this.copySql = "COPY " + table.name() + " (" + columns + ") FROM STDIN (FORMAT binary)";
        String updates = table.columns().stream()
                .filter(c -> !table.keyColumns().contains(c))
                .map(c -> c + " = EXCLUDED." + c)
                .collect(Collectors.joining(", "));
        String changed = table.columns().stream()
                .filter(c -> !table.keyColumns().contains(c))
                .collect(Collectors.joining(", "));
        String changedExcluded = table.columns().stream()
                .filter(c -> !table.keyColumns().contains(c))
                .map(c -> "EXCLUDED." + c)
                .collect(Collectors.joining(", "));
        // The WHERE clause skips rows that would not change, so a replay creates no dead tuples.
        this.upsertSql = "INSERT INTO " + table.name() + " AS t (" + columns + ") SELECT " + columns
                + " FROM json_populate_recordset(NULL::" + table.name() + ", ?::json)"
                + " ON CONFLICT (" + String.join(", ", table.keyColumns()) + ") DO UPDATE SET " + updates
                + " WHERE (" + prefixed("t.", changed) + ") IS DISTINCT FROM (" + changedExcluded + ")";
    }

    /**
     * Writes {@code rows} (distinct keys) in the connection's open transaction, which it leaves open; rows that
     * cause data errors are left out and returned as rejected.
     *
     * @throws SQLException any error that is not a data error, after rolling the transaction back to where it was
     *     before the call, so the caller may retry the batch or fail as a whole; a
     *     {@link BrokenTransactionException} when even that rollback failed (the transaction is lost)
     */
    public Result<T> write(Connection connection, List<T> rows) throws SQLException {
        Progress<T> progress = new Progress<>();
        Savepoint beforeBatch = connection.setSavepoint();
        byte[] copied = null;
        try {
            SQLException failure = tryWrite(connection, rows, progress);
            if (keepCopied && failure == null && !progress.upsert) {
                // The one COPY took the whole batch: its stream is still in the buffer.
                copied = Arrays.copyOf(buffer.array(), buffer.length());
            }
            if (failure != null) {
                if (!SqlStateClassifier.isDataError(failure) && rows.size() == 1) {
                    throw failure; // one row, an error of no known kind: nothing tells the row from the statement
                }
                isolate(connection, rows, failure, progress);
            }
            connection.releaseSavepoint(beforeBatch);
        } catch (BrokenTransactionException e) {
            throw e;
        } catch (SQLException e) {
            rollbackTo(connection, beforeBatch, e);
            throw e;
        }
        return new Result<>(
                rows.size(), progress.upserted, List.copyOf(progress.rejected), progress.statements, copied);
    }

    /**
     * Writes {@code rows} in a savepoint of their own.
     *
     * @return null when they were written; the data error when they were not (rolled back)
     * @throws SQLException any other error (rolled back)
     */
    private SQLException tryWrite(Connection connection, List<T> rows, Progress<T> progress) throws SQLException {
        progress.statements++;
        Savepoint savepoint = connection.setSavepoint();
        if (!progress.upsert) {
            try {
                copy(connection, rows);
                connection.releaseSavepoint(savepoint);
                return null;
            } catch (SQLException e) {
                rollbackKeeping(connection, savepoint, e);
                if (!SqlStateClassifier.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    releaseAfterRollback(connection, savepoint, e);
                    if (mayBeTheRows(e)) {
                        return e;
                    }
                    throw e;
                }
            }
            // A key exists already (a replay, or a correction): the rest of this batch goes through the upsert.
            progress.upsert = true;
            progress.statements++;
        }
        try {
            upsert(connection, rows);
            connection.releaseSavepoint(savepoint);
            progress.upserted += rows.size();
            return null;
        } catch (SQLException e) {
            rollbackTo(connection, savepoint, e);
            if (mayBeTheRows(e)) {
                return e;
            }
            throw e;
        }
    }

    /**
     * Whether the rows may have caused {@code e}: a data error surely did; an error of no known kind may have
     * (the same rows would raise it again, so retrying cannot help), which bisection tells apart: see
     * {@link #isolate}.
     */
    private static boolean mayBeTheRows(SQLException e) {
        return SqlStateClassifier.classify(e) != SqlStateClassifier.Kind.TRANSIENT
                && !SqlStateClassifier.breaksTransaction(e.getSQLState());
    }

    /**
     * {@code rows} failed as a whole with {@code failure}, or (failure null) must hold a failing row because
     * their sibling half went in: splits them until every failing row stands alone, writing all the others.
     */
    private void isolate(Connection connection, List<T> rows, SQLException failure, Progress<T> progress)
            throws SQLException {
        if (rows.size() == 1) {
            SQLException error = failure != null ? failure : tryWrite(connection, rows, progress);
            if (error != null) {
                progress.reject(rows.get(0), error);
            }
            return;
        }
        int middle = rows.size() / 2;
        List<T> left = rows.subList(0, middle);
        List<T> right = rows.subList(middle, rows.size());
        SQLException leftFailure = tryWrite(connection, left, progress);
        if (leftFailure == null) {
            isolate(connection, right, null, progress);
            return;
        }
        if (!SqlStateClassifier.isDataError(leftFailure)) {
            // An error of no known kind is the rows' only when some rows go in without it: try the sibling first,
            // and when it fails too, the error is the statement's or the table's (a missing column, a permission),
            // which no dead letter would fix.
            SQLException rightFailure = tryWrite(connection, right, progress);
            if (rightFailure != null && !SqlStateClassifier.isDataError(rightFailure)) {
                throw leftFailure;
            }
            if (rightFailure != null) {
                isolate(connection, right, rightFailure, progress);
            }
            isolate(connection, left, leftFailure, progress);
            return;
        }
        isolate(connection, left, leftFailure, progress);
        SQLException rightFailure = tryWrite(connection, right, progress);
        if (rightFailure != null) {
            isolate(connection, right, rightFailure, progress);
        }
    }

    private static void rollbackTo(Connection connection, Savepoint savepoint, SQLException cause)
            throws BrokenTransactionException {
        try {
            connection.rollback(savepoint);
            connection.releaseSavepoint(savepoint);
        } catch (SQLException rollbackFailure) {
            throw new BrokenTransactionException(cause, rollbackFailure);
        }
    }

    private static void rollbackKeeping(Connection connection, Savepoint savepoint, SQLException cause)
            throws BrokenTransactionException {
        try {
            connection.rollback(savepoint);
        } catch (SQLException rollbackFailure) {
            throw new BrokenTransactionException(cause, rollbackFailure);
        }
    }

    private static void releaseAfterRollback(Connection connection, Savepoint savepoint, SQLException cause)
            throws BrokenTransactionException {
        try {
            // A savepoint survives a rollback to it; releasing it keeps the nesting of later ones flat.
            connection.releaseSavepoint(savepoint);
        } catch (SQLException releaseFailure) {
            throw new BrokenTransactionException(cause, releaseFailure);
        }
    }

    /** The server's own message (without the row dump of its detail), or the driver's. */
    public static String messageOf(SQLException e) {
        if (e instanceof PSQLException pe
                && pe.getServerErrorMessage() != null
                && pe.getServerErrorMessage().getMessage() != null) {
            return pe.getServerErrorMessage().getMessage();
        }
        return e.getMessage();
    }

    /** The state of one batch's write. */
    private static final class Progress<T> {
        boolean upsert;
        int upserted;
        int statements;
        final List<Rejected<T>> rejected = new ArrayList<>();

        void reject(T row, SQLException error) {
            rejected.add(new Rejected<>(row, error.getSQLState(), messageOf(error)));
        }
    }

    /**
     * Sends a {@code COPY} stream that went in before ({@link Result#copied}) again, into the connection's open
     * transaction, in a savepoint: the rewrite of a transaction lost with its connection. Throws what the server
     * says (a key that exists now, 23505, among others), after rolling back to the savepoint.
     */
    public void copyAgain(Connection connection, byte[] stream) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            sendCopy(connection, stream, stream.length);
            connection.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            rollbackTo(connection, savepoint, e);
            throw e;
        }
    }

    private void sendCopy(Connection connection, byte[] stream, int length) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
            copy.writeToCopy(stream, 0, length);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private void copy(Connection connection, List<T> rows) throws SQLException {
        List<T> ordered = rows;
        if (copyOrder != null && rows.size() > 1) {
            ordered = new ArrayList<>(rows);
            ordered.sort(copyOrder);
        }
        buffer.begin();
        try {
            for (T row : ordered) {
                table.writeRow(row, buffer);
            }
        } catch (PgEncodingException e) {
            // The value the server would refuse, refused before sending: the same data error, isolated the same way.
            throw new SQLException(e.getMessage(), e.sqlState(), e);
        }
        buffer.end();
        sendCopy(connection, buffer.array(), buffer.length());
    }

    private void upsert(Connection connection, Collection<T> rows) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(upsertSql)) {
            statement.setString(1, toJsonArray(rows));
            statement.executeUpdate();
        }
    }

    private String toJsonArray(Collection<T> rows) {
        StringWriter out = new StringWriter(rows.size() * 200);
        try (var gen = Json.FACTORY.createGenerator(out)) {
            gen.writeStartArray();
            for (T row : rows) {
                json.write(table.stored(row), gen);
            }
            gen.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String prefixed(String prefix, String columns) {
        return prefix + columns.replace(", ", ", " + prefix);
    }
}
