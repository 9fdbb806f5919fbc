package dev.marketdata.job.local;

import dev.marketdata.job.sink.twophase.PreparedTransactions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;

/**
 * Finds the database {@code bin/run-local} writes to when no {@code --jdbc-url} is given: a server at
 * 127.0.0.1:5432 if one lets {@code postgres} in, else a private server started from the installed binaries, or
 * from Maven Central's where none are installed ({@link PostgresBinaries}).
 */
public final class LocalDatabase implements AutoCloseable {

    public static final String DATABASE = "marketdata";
    static final String DEFAULT_SERVER = "jdbc:postgresql://127.0.0.1:5432/";

    private final String jdbcUrl;
    private final LocalPostgres privateServer;
    private boolean closed;

    private LocalDatabase(String jdbcUrl, LocalPostgres privateServer) {
        this.jdbcUrl = jdbcUrl;
        this.privateServer = privateServer;
    }

    /** Thrown when there is no database to use; its message tells the user how to get one. */
    public static final class NoDatabaseException extends Exception {
        NoDatabaseException(String message) {
            super(message);
        }
    }

    /** The database {@link #resolveForRun} tries first: {@code marketdata} on the server at 127.0.0.1:5432. */
    public static final String DEFAULT_URL = DEFAULT_SERVER + DATABASE + "?user=postgres";

    /**
     * Next to the private data directory: whether the last {@code bin/run-local} without {@code --jdbc-url} needed
     * prepared transactions ({@code true} or {@code false}), so {@code bin/replay-dlq} picks the same database.
     */
    static final String LAST_RUN_NEEDS = "last-run-needs-prepared-transactions";

    /**
     * For {@code bin/run-local}: the database at 127.0.0.1:5432, else a private server in {@code privateDataDir};
     * also the private server when exactly-once delivery needs prepared transactions and the server at 5432 has
     * them off. Records {@code needsPreparedTransactions} for {@link #resolveForReplay}.
     */
    public static LocalDatabase resolveForRun(boolean needsPreparedTransactions, Path privateDataDir, PrintStream out)
            throws Exception {
        return resolveForRun(DEFAULT_SERVER, needsPreparedTransactions, binaries(privateDataDir), privateDataDir, out);
    }

    /**
     * For {@code bin/replay-dlq}: the database the last {@code bin/run-local} without {@code --jdbc-url} chose,
     * chosen again the same way (the replay itself commits plain transactions, so without a record it takes the
     * server at 5432 as it is). The same database as long as the server at 5432 has not changed in between.
     */
    public static LocalDatabase resolveForReplay(Path privateDataDir, PrintStream out) throws Exception {
        return resolveForReplay(DEFAULT_SERVER, binaries(privateDataDir), privateDataDir, out);
    }

    static LocalDatabase resolveForRun(
            String server,
            boolean needsPreparedTransactions,
            Optional<Path> binaries,
            Path privateDataDir,
            PrintStream out)
            throws Exception {
        LocalDatabase database = resolve(server, needsPreparedTransactions, binaries, privateDataDir, out);
        Path record = privateDataDir.resolveSibling(LAST_RUN_NEEDS);
        Files.createDirectories(record.toAbsolutePath().getParent());
        Files.writeString(record, Boolean.toString(needsPreparedTransactions));
        return database;
    }

    static LocalDatabase resolveForReplay(String server, Optional<Path> binaries, Path privateDataDir, PrintStream out)
            throws Exception {
        Path record = privateDataDir.resolveSibling(LAST_RUN_NEEDS);
        boolean lastRunNeeded = Files.exists(record)
                && Boolean.parseBoolean(Files.readString(record).strip());
        return resolve(server, lastRunNeeded, binaries, privateDataDir, out);
    }

    private static Optional<Path> binaries(Path privateDataDir) throws java.io.IOException {
        return PostgresBinaries.find(System.getenv(), privateDataDir.resolveSibling("postgres-binaries"));
    }

    /**
     * The database on {@code server} (a {@code jdbc:postgresql://host:port/} prefix) if it lets {@code postgres}
     * in, else on a private server started from {@code binaries} in {@code privateDataDir}.
     */
    static LocalDatabase resolve(
            String server,
            boolean needsPreparedTransactions,
            Optional<Path> binaries,
            Path privateDataDir,
            PrintStream out)
            throws Exception {
        String where = server.substring("jdbc:postgresql://".length(), server.length() - 1);
        String why;
        if (acceptsConnections(server + "postgres?user=postgres&connectTimeout=3", where)) {
            if (!needsPreparedTransactions || hasPreparedTransactions(server + "postgres?user=postgres")) {
                createDatabaseIfMissing(server + "postgres?user=postgres", DATABASE);
                out.println("[run-local] Using the PostgreSQL server at " + where + ", database " + DATABASE);
                return new LocalDatabase(server + DATABASE + "?user=postgres", null);
            }
            why = "The server at " + where + " has max_prepared_transactions = 0, which exactly-once delivery "
                    + "needs";
            if (binaries.isPresent()) {
                out.println("[run-local] " + why + " (--delivery at-least-once would use it as it is)");
            }
        } else {
            why = "Nothing accepts connections at " + where;
        }
        if (binaries.isEmpty()) {
            throw new NoDatabaseException("No PostgreSQL to use: " + why + ", and no server binaries (initdb, "
                    + "pg_ctl) are installed, nor are Maven Central's on the class path (bin/run-local takes them "
                    + "from flink-local/target/postgres-binaries: run 'mvn -q -DskipTests package'). Start one with "
                    + "`docker compose up -d postgres`, install one (Debian/Ubuntu: apt-get install postgresql), or "
                    + "pass --jdbc-url.");
        }
        LocalPostgres privateServer = LocalPostgres.start(binaries.get(), privateDataDir);
        try {
            createDatabaseIfMissing(privateServer.jdbcUrl("postgres"), DATABASE);
        } catch (SQLException e) {
            privateServer.close();
            throw e;
        }
        out.println("[run-local] Started a private PostgreSQL at 127.0.0.1:"
                + privateServer.port() + " (data in " + privateDataDir + "), database " + DATABASE
                + "; it stops when this run ends");
        return new LocalDatabase(privateServer.jdbcUrl(DATABASE), privateServer);
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * Whether a server answers and lets us in. A server that answers but refuses the login is an error, not a
     * reason to start another one next to it.
     */
    static boolean acceptsConnections(String url, String where) throws NoDatabaseException {
        try (Connection ignored = connect(url)) {
            return true;
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.startsWith("28")) {
                throw new NoDatabaseException("The PostgreSQL server at " + where + " refused user postgres ("
                        + e.getMessage() + "). Pass --jdbc-url with a user that may log in, and the password in "
                        + "MDS_JDBC_PASSWORD or --jdbc-password-file.");
            }
            return false;
        }
    }

    private static boolean hasPreparedTransactions(String url) throws SQLException {
        try (Connection connection = connect(url)) {
            return PreparedTransactions.maxPreparedTransactions(connection) > 0;
        }
    }

    static void createDatabaseIfMissing(String adminUrl, String database) throws SQLException {
        try (Connection connection = connect(adminUrl);
                Statement statement = connection.createStatement()) {
            try (ResultSet rs =
                    statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            try {
                statement.execute("CREATE DATABASE " + database);
            } catch (SQLException e) {
                if (!"42P04".equals(e.getSQLState())) { // duplicate_database: a concurrent start made it first
                    throw e;
                }
            }
        }
    }

    private static Connection connect(String url) throws SQLException {
        return new org.postgresql.Driver().connect(url, new Properties());
    }

    /** Stops the private server, if one was started; safe to call twice (shutdown hook and normal exit). */
    @Override
    public synchronized void close() throws Exception {
        if (privateServer != null && !closed) {
            closed = true;
            privateServer.close();
        }
    }
}
