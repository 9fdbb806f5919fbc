package dev.marketdata.job.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The project's hand-written migrator as main had it until Flyway replaced it (commit 5a0c3bf), kept unchanged
 * but for its name, the list passed in and the removed {@code JdbcSettings} entry point, so that tests build
 * databases exactly the way that release did and prove {@link SchemaMigrator} takes them over.
 */
final class LegacySchemaMigrator {

    /** The migrations that release knew, oldest first. */
    static final List<String> MIGRATIONS = List.of(
            "V1__create_bars.sql",
            "V2__bars_hypertable.sql",
            "V3__create_option_quotes.sql",
            "V4__create_fundamentals.sql",
            "V5__create_news.sql",
            "V6__datasets_hypertables.sql",
            "V7__create_dead_letters.sql");

    static final String RESOURCE_DIR = "db/migration/";
    private static final long LOCK_KEY = 0x6d64732d736368L; // "mds-sch"

    private LegacySchemaMigrator() {}

    /** As that release's {@code migrate(JdbcSettings)}: one transaction, committed at the end. */
    static List<String> migrate(Connection connection, List<String> migrations) throws SQLException {
        connection.setAutoCommit(false);
        List<String> applied = migrateInTransaction(connection, migrations);
        connection.commit();
        return applied;
    }

    private static List<String> migrateInTransaction(Connection connection, List<String> migrations)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            statement.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                            + "version text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        }
        List<String> applied = new ArrayList<>();
        for (String migration : migrations) {
            String script = load(migration);
            String checksum = sha256(script);
            String recorded = recordedChecksum(connection, migration);
            if (recorded == null) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(script);
                }
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO schema_migrations (version, checksum) VALUES (?, ?)")) {
                    insert.setString(1, migration);
                    insert.setString(2, checksum);
                    insert.executeUpdate();
                }
                applied.add(migration);
            } else if (!recorded.equals(checksum)) {
                throw new SQLException("Migration " + migration + " was changed after it was applied to this "
                        + "database; add a new migration instead of editing an applied one");
            }
        }
        return applied;
    }

    private static String recordedChecksum(Connection connection, String migration) throws SQLException {
        try (PreparedStatement query =
                connection.prepareStatement("SELECT checksum FROM schema_migrations WHERE version = ?")) {
            query.setString(1, migration);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static String load(String migration) {
        try (InputStream in =
                LegacySchemaMigrator.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + migration)) {
            if (in == null) {
                throw new IllegalStateException("Migration " + migration + " is missing from the job jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
