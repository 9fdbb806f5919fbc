package dev.marketdata.job.schema;

import dev.marketdata.job.sink.config.JdbcSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateOutput;

/**
 * Brings a database's schema up to date with Flyway, from the migrations in {@code sql/} that the build packs into
 * the job jar under {@code db/migration} ({@code V<n>__<what>.sql}, Flyway's naming). Flyway records what it applied
 * in {@code flyway_schema_history}, refuses to start when an applied migration was edited (its checksum changed),
 * and serializes concurrent starts with a PostgreSQL advisory lock, so jobs starting together do not race.
 *
 * <p>A database set up by the project's earlier, hand-written migrator (history in {@code schema_migrations}: one
 * row per applied file name with its SHA-256) is taken over without re-running anything: its files are checked
 * against that history, and Flyway baselines at the last version it applied, then applies only newer ones.
 * {@code schema_migrations} is left in place, unread after that.
 */
public final class SchemaMigrator {

    /** Where the migrations are on the class path (the job jar). */
    public static final String LOCATION = "classpath:db/migration";
    /** The history table of the hand-written migrator this class replaced. */
    static final String LEGACY_HISTORY_TABLE = "schema_migrations";

    static final String TAKEOVER_DESCRIPTION = "taken over from " + LEGACY_HISTORY_TABLE;

    /** Tries, a second apart, to take Flyway's lock while another start holds it. */
    static final int LOCK_RETRIES = 300;

    private static final String RESOURCE_DIR = "db/migration/";
    private static final Pattern LEGACY_NAME = Pattern.compile("V(\\d+)__.+\\.sql");

    private SchemaMigrator() {}

    /**
     * Applies the migrations the database has not seen yet, oldest first, each in its own transaction.
     *
     * @return the file names of the migrations applied now, oldest first (empty when the schema was up to date)
     * @throws SQLException when the database cannot be reached, a migration fails, or an applied migration changed
     *     (the message says which and why; Flyway's exception is the cause)
     */
    public static List<String> migrate(JdbcSettings jdbc) throws SQLException {
        try {
            List<String> applied = new ArrayList<>();
            for (MigrateOutput migration : flyway(jdbc).migrate().migrations) {
                applied.add(fileName(migration.filepath));
            }
            return applied;
        } catch (FlywayException e) {
            throw new SQLException("Cannot bring the schema up to date: " + e.getMessage(), e);
        }
    }

    /**
     * Flyway configured for the project's migrations on this database, for {@code info}, {@code validate},
     * {@code repair} and {@code migrate}. Reads the database once, to know whether to take over a database set up by
     * the earlier migrator.
     *
     * @throws SQLException when the database cannot be reached, or its earlier migrator's history does not match the
     *     migrations in the jar
     */
    public static Flyway flyway(JdbcSettings jdbc) throws SQLException {
        Optional<Integer> takeOver;
        try (Connection connection = jdbc.connect()) {
            takeOver = legacyBaseline(connection);
            connection.rollback();
        }
        FluentConfiguration config = Flyway.configure(SchemaMigrator.class.getClassLoader())
                .dataSource(new JdbcSettingsDataSource(jdbc))
                .locations(LOCATION)
                // Jobs starting together wait for the one that migrates (Flyway's pg_try_advisory_xact_lock,
                // retried once a second): up to five minutes, where Flyway's default gives up after 50 tries.
                .lockRetryCount(LOCK_RETRIES)
                // A schema with tables but no history: either the earlier migrator's (baselined at its last
                // version) or a database with other tables of its own, where every migration still runs (from 0;
                // they all use IF NOT EXISTS), as the earlier migrator did.
                .baselineOnMigrate(true)
                .baselineVersion(takeOver.map(String::valueOf).orElse("0"))
                .baselineDescription(takeOver.isPresent() ? TAKEOVER_DESCRIPTION : "<< Flyway Baseline >>");
        return config.load();
    }

    /**
     * The version to baseline at when the earlier migrator set this database up and Flyway has not yet: the last
     * version it applied, after checking each applied file against the one in the jar.
     */
    static Optional<Integer> legacyBaseline(Connection connection) throws SQLException {
        if (!tableExists(connection, LEGACY_HISTORY_TABLE) || tableExists(connection, "flyway_schema_history")) {
            return Optional.empty();
        }
        List<String[]> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT version, checksum FROM " + LEGACY_HISTORY_TABLE)) {
            while (rs.next()) {
                rows.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        int last = 0;
        for (String[] row : rows) {
            Matcher name = LEGACY_NAME.matcher(row[0]);
            if (!name.matches()) {
                throw new SQLException(LEGACY_HISTORY_TABLE + " names " + row[0] + ", which is no migration file");
            }
            String script = load(row[0])
                    .orElseThrow(() -> new SQLException(LEGACY_HISTORY_TABLE + " names " + row[0]
                            + ", which this job jar does not have: is the job older than the database?"));
            if (!sha256(script).equals(row[1])) {
                throw new SQLException("Migration " + row[0] + " was changed after it was applied to this database; "
                        + "add a new migration instead of editing an applied one");
            }
            last = Math.max(last, Integer.parseInt(name.group(1)));
        }
        // The earlier migrator applied the files in order, all in one transaction: a gap means a hand-edited table.
        if (rows.size() != last) {
            throw new SQLException(LEGACY_HISTORY_TABLE + " has " + rows.size() + " rows but names V" + last
                    + ": it was edited by hand; fix it, or baseline with Flyway yourself");
        }
        return last == 0 ? Optional.empty() : Optional.of(last);
    }

    private static boolean tableExists(Connection connection, String table) throws SQLException {
        // to_regclass follows the search path, as Flyway's default schema does.
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static Optional<String> load(String migration) {
        try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + migration)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The earlier migrator's checksum: SHA-256 of the file's UTF-8 text, in lower-case hex. */
    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String fileName(String path) {
        return path == null ? "?" : path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    }
}
