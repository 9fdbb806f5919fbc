package dev.marketdata.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.bench.BenchMain.Options;
import dev.marketdata.job.local.LocalPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench's plumbing at a tiny size: raw COPY, the stock sink and this job at-least-once, each in its own JVM,
 * against a real PostgreSQL (MDS_TEST_POSTGRES_URL, else 127.0.0.1:5432, else a private server), with the row
 * check after each. Not a measurement.
 */
class BenchSmokeITCase {

    private static final String DEFAULT_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    private static LocalPostgres privateServer;
    private static String adminUrl;

    @BeforeAll
    static void server() throws Exception {
        adminUrl = System.getenv().getOrDefault("MDS_TEST_POSTGRES_URL", DEFAULT_ADMIN_URL);
        try (Connection c = new org.postgresql.Driver().connect(adminUrl, new Properties())) {
            return;
        } catch (SQLException e) {
            Path bin = LocalPostgres.findBinaries()
                    .orElseThrow(() -> new IllegalStateException(
                            "The bench smoke test needs PostgreSQL: none at " + adminUrl + " and no server binaries"));
            privateServer = LocalPostgres.start(bin, Path.of("target", "test-postgres"));
            adminUrl = privateServer.jdbcUrl("postgres");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (privateServer != null) {
            privateServer.close();
        }
    }

    @Test
    void runsEachScenarioAndChecksTheRows(@TempDir Path work) throws Exception {
        String database = ("mds_bench_smoke_"
                        + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36))
                .toLowerCase(Locale.ROOT);
        Options options = Options.parse(new String[] {
            "--rows",
            "600",
            "--symbols",
            "20",
            "--only",
            "copy,stock,alo",
            "--parallelism",
            "1",
            "--jdbc-url",
            adminUrl,
            "--database",
            database,
            "--quiet-wait",
            "0",
            "--heap",
            "256m",
            "--warmup-rows",
            "0",
            "--work-dir",
            work.toString()
        });
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            status = BenchMain.run(options, out, Path.of("..").toAbsolutePath().normalize());
        }
        String output = bytes.toString(StandardCharsets.UTF_8);

        assertThat(status).as(output).isZero();
        assertThat(output).doesNotContain("WRONG", "FAILED");
        assertThat(output)
                .containsPattern("\\| raw COPY \\(psql \\\\copy, CSV\\) +\\| +- \\| +600 \\|.*\\| +1\\.00x \\|");
        assertThat(output)
                .containsPattern("\\| stock JdbcSink upsert +\\| +1 \\| +600 \\|.*\\| +1\\.00x \\| +1\\.00x \\|");
        assertThat(output).containsPattern("\\| this job, at-least-once +\\| +1 \\| +600 \\|");
        // The bench's database is dropped at the end.
        try (Connection c = new org.postgresql.Driver().connect(adminUrl, new Properties());
                var rs = c.createStatement()
                        .executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + database + "'")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }
}
