package dev.marketdata.bench;

import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.sink.config.JdbcSettings;
import dev.marketdata.job.sink.config.Secret;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Properties;

/**
 * The bench's own database on the chosen server: dropped and created afresh per run, its schema made by the
 * project's {@link SchemaMigrator} (so {@code bars} is the production table with the production key), emptied
 * and settled between scenarios. Kafka Connect writes into {@code bars_connect}, made {@code LIKE bars INCLUDING
 * ALL}.
 */
final class BenchDatabase {

    static final String DEFAULT_NAME = "mds_bench";

    private final String name;
    private final PgUrl admin;
    private final PgUrl url;
    private final Secret password;

    private BenchDatabase(PgUrl admin, Secret password, String name) {
        this.name = name;
        this.admin = admin;
        this.url = admin.withDatabase(name);
        this.password = password;
    }

    /** Drops and creates database {@code name} on the server {@code admin} points to, and applies the migrations. */
    static BenchDatabase create(PgUrl admin, Secret password, String name) throws SQLException {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("database name must be lower-case letters, digits and _: " + name);
        }
        BenchDatabase db = new BenchDatabase(admin, password, name);
        try (Connection c = db.connect(admin);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        }
        SchemaMigrator.migrate(db.jdbcSettings());
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + ScenarioMain.WARMUP_TABLE + " (LIKE bars INCLUDING ALL)");
            // Kafka Connect's table: the same columns, types and primary key as bars.
            s.execute("CREATE TABLE " + ConnectWorker.TABLE + " (LIKE bars INCLUDING ALL)");
        }
        return db;
    }

    PgUrl url() {
        return url;
    }

    Secret password() {
        return password;
    }

    JdbcSettings jdbcSettings() {
        return new JdbcSettings(url.jdbc(), null, password);
    }

    Connection connect() throws SQLException {
        return connect(url);
    }

    Connection connect(PgUrl target) throws SQLException {
        Properties props = new Properties();
        if (password != null) {
            props.setProperty("password", password.reveal());
        }
        props.setProperty("ApplicationName", "market-data-bench");
        Connection c = new org.postgresql.Driver().connect(target.jdbc(), props);
        c.setAutoCommit(true);
        return c;
    }

    /**
     * Empties {@code bars} and lets the server settle, so every scenario starts from the same state: no rows, no
     * dirty buffers (CHECKPOINT), no autovacuum worker still busy with the previous scenario's rows.
     */
    void reset() throws SQLException, InterruptedException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("TRUNCATE bars, " + ScenarioMain.WARMUP_TABLE + ", " + ConnectWorker.TABLE);
            s.execute("CHECKPOINT");
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline
                    && count(
                                    s,
                                    "SELECT count(*) FROM pg_stat_activity WHERE"
                                            + " backend_type = 'autovacuum worker' AND datname = current_database()")
                            > 0) {
                Thread.sleep(100);
            }
        }
    }

    Fingerprint fingerprint() throws SQLException {
        return fingerprint("bars");
    }

    Fingerprint fingerprint(String table) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(Fingerprint.sql(table))) {
            rs.next();
            return new Fingerprint(
                    rs.getLong(1),
                    rs.getLong(2),
                    rs.getLong(3),
                    rs.getLong(4),
                    instant(rs.getObject(5, OffsetDateTime.class)),
                    instant(rs.getObject(6, OffsetDateTime.class)));
        }
    }

    long rows() throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            return count(s, "SELECT count(*) FROM bars");
        }
    }

    String setting(String name) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_setting('" + name + "')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The server's CPU meter, when the server runs on this machine. */
    ServerCpu serverCpu() throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            return ServerCpu.ofBackend(count(s, "SELECT pg_backend_pid()"));
        }
    }

    /** The primary key's definition, for the report. */
    String primaryKey() throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                        + " WHERE conrelid = 'bars'::regclass AND contype = 'p'")) {
            return rs.next() ? rs.getString(1) : "none";
        }
    }

    String name() {
        return name;
    }

    void drop() throws SQLException {
        try (Connection c = connect(admin);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
