package dev.marketdata.job.schema;

import dev.marketdata.job.sink.JdbcSettings;
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
 * Applies the migrations in {@code sql/} (packed into the job jar) that a database has not seen yet, in order,
 * each once, under an advisory lock so that jobs starting together do not race. A migration that changed after
 * it was applied stops the start with an error instead of leaving the schema to drift.
 */
public final class SchemaMigrator {

    /** The migrations, oldest first. Add new files at the end; never edit or remove an applied one. */
    public static final List<String> MIGRATIONS = List.of(
            "V1__create_bars.sql",
            "V2__bars_hypertable.sql",
            "V3__create_option_quotes.sql",
            "V4__create_fundamentals.sql",
            "V5__create_news.sql",
            "V6__datasets_hypertables.sql",
            "V7__create_dead_letters.sql",
            "V8__dead_letters_exact_records.sql");

    static final String RESOURCE_DIR = "db/migration/";
    private static final long LOCK_KEY = 0x6d64732d736368L; // "mds-sch"

    private SchemaMigrator() {}

    /** Brings the schema up to date; returns the migrations applied now (empty when it already was). */
    public static List<String> migrate(JdbcSettings jdbc) throws SQLException {
        try (Connection connection = jdbc.connect()) {
            List<String> applied = migrate(connection);
            connection.commit();
            return applied;
        }
    }

    static List<String> migrate(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            statement.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                    + "version text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        }
        List<String> applied = new ArrayList<>();
        for (String migration : MIGRATIONS) {
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
        try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + migration)) {
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
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
