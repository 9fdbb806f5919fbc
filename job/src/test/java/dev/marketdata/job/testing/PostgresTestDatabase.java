package dev.marketdata.job.testing;

import dev.marketdata.job.local.LocalPostgres;
import dev.marketdata.job.sink.config.JdbcSettings;
import dev.marketdata.job.sink.twophase.PreparedTransactions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh, empty database on a real PostgreSQL server for one test class, dropped afterwards. The server is
 * {@code MDS_TEST_POSTGRES_URL} (an admin URL) if set, else 127.0.0.1:5432, provided it has prepared
 * transactions on (the exactly-once sink needs them); else a private server this JVM starts from the installed
 * binaries under {@code target/test-postgres}, with them on. {@link #onPrivateServer} gives a test class a
 * server of its own instead, which it may stop and start (never the machine's shared one).
 */
public final class PostgresTestDatabase implements BeforeAllCallback, AfterAllCallback {

    private static final String DEFAULT_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    private static String serverBase; // "jdbc:postgresql://host:port/"
    private static String serverParams; // "?user=postgres"

    private final Path privateDataDir;
    private final Map<String, String> privateSettings;
    private LocalPostgres privateServer;
    private String base;
    private String params;
    private String name;

    public PostgresTestDatabase() {
        this(null, Map.of());
    }

    private PostgresTestDatabase(Path privateDataDir, Map<String, String> privateSettings) {
        this.privateDataDir = privateDataDir;
        this.privateSettings = privateSettings;
    }

    /** A database on a server started for this test class alone, in a fresh {@code dataDir}, stopped afterwards. */
    public static PostgresTestDatabase onPrivateServer(Path dataDir) {
        return onPrivateServer(dataDir, Map.of());
    }

    /**
     * As {@link #onPrivateServer(Path)}, the server started with these settings (as {@code postgresql.conf}
     * spells them, e.g. {@code max_prepared_transactions} → {@code 8}).
     */
    public static PostgresTestDatabase onPrivateServer(Path dataDir, Map<String, String> settings) {
        return new PostgresTestDatabase(dataDir, Map.copyOf(settings));
    }

    /** The private server, to stop and start again; null for the shared one. */
    public LocalPostgres server() {
        return privateServer;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        open(context.getRequiredTestClass().getSimpleName());
    }

    /**
     * Creates the database, named after {@code owner}: what {@link #beforeAll} does, for test engines without
     * Jupiter's extensions (jqwik); pair it with {@link #close()}.
     */
    public void open(String owner) throws Exception {
        if (privateDataDir == null) {
            ensureServer();
            base = serverBase;
            params = serverParams;
        } else {
            deleteRecursively(privateDataDir);
            Path bin = LocalPostgres.findBinaries()
                    .orElseThrow(
                            () -> new IllegalStateException(
                                    "This test needs the PostgreSQL server binaries (initdb, pg_ctl) to start a server of its own"));
            privateServer = LocalPostgres.start(bin, privateDataDir, privateSettings);
            base = "jdbc:postgresql://127.0.0.1:" + privateServer.port() + "/";
            params = "?user=postgres";
        }
        name = ("mds_" + owner + "_" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36))
                .toLowerCase(Locale.ROOT);
        admin("CREATE DATABASE " + name);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    /** Drops the database (stops a private server): what {@link #afterAll} does. */
    public void close() throws Exception {
        if (privateServer != null) {
            // Its data directory goes with the next run; only make sure no server outlives the tests, even one a
            // failed test left stopped.
            try {
                privateServer.close();
            } catch (IOException alreadyStopped) {
                // pg_ctl stop on a stopped server: nothing to do.
            }
            return;
        }
        // A prepared transaction left by a failed test would keep the database from being dropped.
        try (Connection c = connect()) {
            for (String gid : PreparedTransactions.list(c, "")) {
                c.createStatement().execute("ROLLBACK PREPARED '" + gid.replace("'", "''") + "'");
            }
        }
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return base + name + params;
    }

    public JdbcSettings jdbc() {
        return new JdbcSettings(jdbcUrl(), null, null);
    }

    /** A connection to this database with auto-commit on. */
    public Connection connect() throws SQLException {
        Connection connection = new org.postgresql.Driver().connect(jdbcUrl(), new Properties());
        connection.setAutoCommit(true);
        return connection;
    }

    public void execute(String sql) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Each row of the query as its columns' text joined by {@code |}, in the query's order. */
    public List<String> rows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    /**
     * The gids of the prepared transactions in this database. {@code pg_prepared_xacts} lists the whole server's,
     * and other test classes (or other users of a shared server) may have their own.
     */
    public List<String> preparedTransactions() throws SQLException {
        return rows("SELECT gid FROM pg_prepared_xacts WHERE database = current_database() ORDER BY gid");
    }

    public long count(String table) throws SQLException {
        return Long.parseLong(rows("SELECT count(*) FROM " + table).get(0));
    }

    private void admin(String sql) throws SQLException {
        try (Connection c = new org.postgresql.Driver().connect(base + "postgres" + params, new Properties());
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static synchronized void ensureServer() throws Exception {
        if (serverBase != null) {
            return;
        }
        String admin = System.getenv().getOrDefault("MDS_TEST_POSTGRES_URL", DEFAULT_ADMIN_URL);
        if (reachableWithPreparedTransactions(admin)) {
            int slash = admin.indexOf('/', "jdbc:postgresql://".length());
            int query = admin.indexOf('?');
            serverBase = admin.substring(0, slash + 1);
            serverParams = query < 0 ? "" : admin.substring(query);
            return;
        }
        Path bin = LocalPostgres.findBinaries()
                .orElseThrow(() -> new IllegalStateException(
                        "Tests need PostgreSQL: none at " + admin + " and no server binaries installed"));
        LocalPostgres server = LocalPostgres.start(bin, Path.of("target", "test-postgres"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception ignored) {
                // The JVM is exiting; the next start recovers the data directory.
            }
        }));
        serverBase = "jdbc:postgresql://127.0.0.1:" + server.port() + "/";
        serverParams = "?user=postgres";
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static boolean reachableWithPreparedTransactions(String url) {
        try (Connection connection = new org.postgresql.Driver().connect(url, new Properties())) {
            return PreparedTransactions.maxPreparedTransactions(connection) > 0;
        } catch (SQLException e) {
            return false;
        }
    }
}
