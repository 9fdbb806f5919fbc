package dev.marketdata.job.local;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of our own, started from server binaries (installed, or Maven Central's: see
 * {@link PostgresBinaries}) in a given data directory, for machines where none is running. PostgreSQL refuses to run
 * as root, so as root the server runs as an unprivileged user ({@link #serverUser}). It listens on 127.0.0.1 only,
 * with trust authentication.
 */
public final class LocalPostgres implements AutoCloseable {

    /**
     * Who runs the server when we are root, in order of preference: the {@code postgres} system user a PostgreSQL
     * package creates, else {@code nobody}, which every Linux has. No user is created: a development tool should
     * not change the machine's accounts, and with trust authentication on 127.0.0.1 any local user can read the
     * database anyway, so a dedicated account would protect nothing more.
     */
    static final List<String> SERVER_USERS = List.of("postgres", "nobody");

    private final Path bin;
    private final Path dataDir;
    private final int port;

    private LocalPostgres(Path bin, Path dataDir, int port) {
        this.bin = bin;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** The directory holding {@code initdb} and {@code pg_ctl}: from PATH, else the newest under /usr/lib/postgresql. */
    public static Optional<Path> findBinaries() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            Arrays.stream(path.split(":"))
                    .filter(p -> !p.isEmpty())
                    .map(Path::of)
                    .forEach(candidates::add);
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.sorted(Comparator.comparing((Path p) -> versionOf(p)).reversed())
                        .map(p -> p.resolve("bin"))
                        .forEach(candidates::add);
            } catch (IOException ignored) {
                // An unreadable directory just means no binaries there.
            }
        }
        return candidates.stream()
                .filter(dir -> Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl")))
                .findFirst();
    }

    private static int versionOf(Path versionDir) {
        try {
            return Integer.parseInt(versionDir.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Initializes {@code dataDir} if it is new, and starts the server on a free port, prepared transactions on. */
    public static LocalPostgres start(Path bin, Path dataDir) throws IOException, InterruptedException {
        return start(bin, dataDir, 64);
    }

    /** As {@link #start(Path, Path)}, with the given {@code max_prepared_transactions} for a new data directory. */
    static LocalPostgres start(Path bin, Path dataDir, int maxPreparedTransactions)
            throws IOException, InterruptedException {
        return start(bin, dataDir, Map.of("max_prepared_transactions", Integer.toString(maxPreparedTransactions)));
    }

    /**
     * As {@link #start(Path, Path)}, with server settings of a new data directory (e.g. {@code
     * max_prepared_transactions}, default 64 here) written to its {@code postgresql.auto.conf}.
     *
     * @param settings parameter names and values as {@code postgresql.conf} spells them (values unquoted)
     */
    public static LocalPostgres start(Path bin, Path dataDir, Map<String, String> settings)
            throws IOException, InterruptedException {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("listen_addresses", "127.0.0.1");
        conf.put("unix_socket_directories", "");
        // Two-phase commit (the exactly-once sink) needs prepared transactions, which are off by default.
        conf.put("max_prepared_transactions", "64");
        conf.putAll(settings);
        dataDir = dataDir.toAbsolutePath();
        boolean fresh = !Files.exists(dataDir.resolve("PG_VERSION"));
        if (fresh) {
            Files.createDirectories(dataDir);
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
            Optional<String> user = serverUser();
            if (user.isPresent()) {
                UserPrincipalLookupService users = dataDir.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(dataDir, users.lookupPrincipalByName(user.get()));
            }
            run(List.of(
                    bin.resolve("initdb").toString(),
                    "-D",
                    dataDir.toString(),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--no-sync"));
            StringBuilder lines = new StringBuilder();
            conf.forEach((name, value) -> lines.append(name)
                    .append(" = '")
                    .append(value.replace("'", "''"))
                    .append("'\n"));
            Files.writeString(dataDir.resolve("postgresql.auto.conf"), lines, java.nio.file.StandardOpenOption.APPEND);
        }
        int port = FreePorts.take();
        run(List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                dataDir.toString(),
                "-l",
                dataDir.resolve("server.log").toString(),
                "-o",
                "-p " + port,
                "-w",
                "-t",
                "60",
                "start"));
        return new LocalPostgres(bin, dataDir, port);
    }

    public int port() {
        return port;
    }

    /** URL of a database on this server, logging in as {@code postgres}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    /**
     * Stops the server with a fast shutdown: sessions are ended and their open transactions rolled back; prepared
     * transactions survive, as in any restart.
     */
    public void stop() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"));
    }

    /** Starts the stopped server again, on the same port. */
    public void startAgain() throws IOException, InterruptedException {
        run(List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                dataDir.toString(),
                "-l",
                dataDir.resolve("server.log").toString(),
                "-o",
                "-p " + port,
                "-w",
                "-t",
                "60",
                "start"));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        Optional<String> user = serverUser();
        if (user.isPresent()) {
            full.addAll(List.of("runuser", "-u", user.get(), "--"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + output.strip());
        }
    }

    /** The user to run the server as: empty when we are not root (it runs as us), else per {@link #SERVER_USERS}. */
    static Optional<String> serverUser() throws IOException {
        return serverUser(System.getProperty("user.name"), LocalPostgres::userExists);
    }

    /**
     * As {@link #serverUser()}, for {@code currentUser} on a machine whose accounts {@code exists} tells.
     *
     * @throws IOException as root on a machine with none of {@link #SERVER_USERS}
     */
    static Optional<String> serverUser(String currentUser, Predicate<String> exists) throws IOException {
        if (!"root".equals(currentUser)) {
            return Optional.empty();
        }
        for (String user : SERVER_USERS) {
            if (exists.test(user)) {
                return Optional.of(user);
            }
        }
        throw new IOException("PostgreSQL refuses to run as root, and none of the users " + SERVER_USERS
                + " exists to run it as; run as another user, or create one of them");
    }

    private static boolean userExists(String user) {
        try {
            FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
