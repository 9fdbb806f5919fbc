package dev.marketdata.job.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** How bin/run-local finds a database when it is given none. */
class LocalDatabaseITCase {

    @Test
    void withNoServerAndNoBinariesItSaysHowToGetPostgres() throws Exception {
        String closed = "jdbc:postgresql://127.0.0.1:" + FreePorts.take() + "/";
        assertThatThrownBy(() -> LocalDatabase.resolve(closed, false, Optional.empty(), Path.of("unused"), System.out))
                .isInstanceOf(LocalDatabase.NoDatabaseException.class)
                .hasMessageStartingWith("No PostgreSQL to use: Nothing accepts connections at 127.0.0.1:")
                .hasMessageContaining("docker compose up -d postgres")
                .hasMessageContaining("apt-get install postgresql");
    }

    @Test
    void withNoServerItStartsAPrivateOneFromTheInstalledBinariesAndStopsIt() throws Exception {
        Optional<Path> binaries = LocalPostgres.findBinaries();
        assertThat(binaries)
                .as("PostgreSQL server binaries are installed on the test machine")
                .isPresent();
        String closed = "jdbc:postgresql://127.0.0.1:" + FreePorts.take() + "/";
        Path dataDir = Path.of("target", "private-postgres-it").toAbsolutePath();
        ByteArrayOutputStream said = new ByteArrayOutputStream();

        String url;
        try (LocalDatabase database =
                LocalDatabase.resolve(closed, true, binaries, dataDir, new PrintStream(said, true))) {
            url = database.jdbcUrl();
            try (Connection c = new org.postgresql.Driver().connect(url, new Properties());
                    ResultSet rs = c.createStatement()
                            .executeQuery("SELECT current_database(), current_setting('max_prepared_transactions')")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("marketdata");
                assertThat(rs.getString(2)).isEqualTo("64");
            }
        }
        assertThat(said.toString()).startsWith("[run-local] Started a private PostgreSQL at 127.0.0.1:");
        assertThatThrownBy(() -> new org.postgresql.Driver().connect(url, new Properties()))
                .hasMessageContaining("Connection to 127.0.0.1");
    }

    @Test
    void aStockServerWithoutPreparedTransactionsIsReplacedByAPrivateOneForExactlyOnce() throws Exception {
        Path binaries = LocalPostgres.findBinaries().orElseThrow();
        try (LocalPostgres stock = LocalPostgres.start(
                binaries, Path.of("target", "stock-postgres-it").toAbsolutePath(), 0)) {
            String server = "jdbc:postgresql://127.0.0.1:" + stock.port() + "/";

            assertThatThrownBy(
                            () -> LocalDatabase.resolve(server, true, Optional.empty(), Path.of("unused"), System.out))
                    .isInstanceOf(LocalDatabase.NoDatabaseException.class)
                    .hasMessageStartingWith("No PostgreSQL to use: The server at 127.0.0.1:" + stock.port()
                            + " has max_prepared_transactions = 0, which exactly-once delivery needs, and no server "
                            + "binaries");

            ByteArrayOutputStream said = new ByteArrayOutputStream();
            try (LocalDatabase database = LocalDatabase.resolve(
                    server,
                    true,
                    Optional.of(binaries),
                    Path.of("target", "private-postgres-it").toAbsolutePath(),
                    new PrintStream(said, true))) {
                assertThat(database.jdbcUrl()).doesNotContain(":" + stock.port() + "/");
            }
            assertThat(said.toString())
                    .startsWith("[run-local] The server at 127.0.0.1:" + stock.port()
                            + " has max_prepared_transactions = 0, which exactly-once delivery needs "
                            + "(--delivery at-least-once would use it as it is)")
                    .contains("[run-local] Started a private PostgreSQL at 127.0.0.1:");

            try (LocalDatabase database =
                    LocalDatabase.resolve(server, false, Optional.empty(), Path.of("unused"), System.out)) {
                assertThat(database.jdbcUrl()).isEqualTo(server + "marketdata?user=postgres");
            }
        }
    }

    @Test
    void replayPicksTheDatabaseTheLastRunChoseOnAServerWithoutPreparedTransactions() throws Exception {
        // Under target, not a @TempDir: the private server may run as user postgres, which must reach its data.
        Path mds = Path.of("target", "replay-choice-it").toAbsolutePath();
        Files.deleteIfExists(mds.resolve("last-run-needs-prepared-transactions"));
        Path binaries = LocalPostgres.findBinaries().orElseThrow();
        Path privateDir = mds.resolve("postgres");
        try (LocalPostgres stock = LocalPostgres.start(
                binaries, Path.of("target", "stock-postgres-replay-it").toAbsolutePath(), 0)) {
            String server = "jdbc:postgresql://127.0.0.1:" + stock.port() + "/";
            String stockUrl = server + "marketdata?user=postgres";

            // No run recorded: the replay commits plain transactions, so the stock server does.
            try (LocalDatabase replay =
                    LocalDatabase.resolveForReplay(server, Optional.empty(), privateDir, System.out)) {
                assertThat(replay.jdbcUrl()).isEqualTo(stockUrl);
            }

            // An at-least-once run uses the stock server as it is, and so does the replay after it.
            try (LocalDatabase run =
                    LocalDatabase.resolveForRun(server, false, Optional.empty(), privateDir, System.out)) {
                assertThat(run.jdbcUrl()).isEqualTo(stockUrl);
            }
            assertThat(mds.resolve("last-run-needs-prepared-transactions")).hasContent("false");
            try (LocalDatabase replay =
                    LocalDatabase.resolveForReplay(server, Optional.empty(), privateDir, System.out)) {
                assertThat(replay.jdbcUrl()).isEqualTo(stockUrl);
            }

            // An exactly-once run takes a private server, and so does the replay after it.
            String runUrl;
            try (LocalDatabase run =
                    LocalDatabase.resolveForRun(server, true, Optional.of(binaries), privateDir, System.out)) {
                runUrl = run.jdbcUrl();
            }
            assertThat(runUrl).doesNotContain(":" + stock.port() + "/");
            assertThat(mds.resolve("last-run-needs-prepared-transactions")).hasContent("true");
            ByteArrayOutputStream said = new ByteArrayOutputStream();
            try (LocalDatabase replay = LocalDatabase.resolveForReplay(
                    server, Optional.of(binaries), privateDir, new PrintStream(said, true))) {
                assertThat(replay.jdbcUrl()).doesNotContain(":" + stock.port() + "/");
            }
            assertThat(said.toString())
                    .contains("[run-local] Started a private PostgreSQL at 127.0.0.1:")
                    .contains("(data in " + privateDir + ")");
        }
    }

    @Test
    void aRunningServerIsUsedAsItIsForAtLeastOnce() throws Exception {
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        try (LocalDatabase database = LocalDatabase.resolve(
                LocalDatabase.DEFAULT_SERVER,
                false,
                Optional.empty(),
                Path.of("unused"),
                new PrintStream(said, true))) {
            assertThat(database.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/marketdata?user=postgres");
        }
        assertThat(said.toString().strip())
                .isEqualTo("[run-local] Using the PostgreSQL server at 127.0.0.1:5432, database marketdata");
    }
}
