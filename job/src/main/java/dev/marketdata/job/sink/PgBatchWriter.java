package dev.marketdata.job.sink;

import dev.marketdata.job.json.Json;
import dev.marketdata.job.json.RecordJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Collection;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes a batch of distinct-keyed rows into its table within the caller's transaction, idempotently.
 *
 * <p>It tries a plain binary {@code COPY} first (the fastest path in); only when a key already exists (a replay,
 * or a provider's correction) does it roll back to a savepoint and upsert the batch, so writing the same batch
 * twice leaves the table as it was. The upsert takes the batch as one JSON parameter rather than a staging
 * table because temporary tables cannot be part of a prepared (two-phase) transaction.
 */
public final class PgBatchWriter<T> {

    static final String UNIQUE_VIOLATION = "23505";

    private final PgTable<T> table;
    private final RecordJson<T> json;
    private final String copySql;
    private final String upsertSql;
    private final PgBinaryCopyBuffer buffer = new PgBinaryCopyBuffer(1 << 16);

    public PgBatchWriter(PgTable<T> table) {
        this.table = table;
        this.json = table.json();
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
     * Writes {@code rows} (distinct keys) in the connection's open transaction, which it leaves open.
     *
     * @return how many rows went through the upsert because their batch hit an existing key (0 or all of them)
     */
    public int write(Connection connection, Collection<T> rows) throws SQLException {
        buffer.begin();
        for (T row : rows) {
            table.writeRow(row, buffer);
        }
        buffer.end();
        // Every failure rolls back to this savepoint, so the caller's transaction (and the batches before this
        // one in it) stays usable: the caller may retry the batch, or fail as a whole.
        Savepoint beforeBatch = connection.setSavepoint();
        try {
            copy(connection);
            connection.releaseSavepoint(beforeBatch);
            return 0;
        } catch (SQLException e) {
            connection.rollback(beforeBatch);
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
        }
        try {
            upsert(connection, rows);
            connection.releaseSavepoint(beforeBatch);
            return rows.size();
        } catch (SQLException e) {
            connection.rollback(beforeBatch);
            throw e;
        }
    }

    private void copy(Connection connection) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
            copy.writeToCopy(buffer.array(), 0, buffer.length());
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
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
                json.write(row, gen);
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
