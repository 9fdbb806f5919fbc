package dev.marketdata.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.local.FreePorts;
import dev.marketdata.job.testing.ExpectedSynthetic;
import dev.marketdata.job.testing.FlinkSessionCluster;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.synthetic.SyntheticSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shaded job jar on a real standalone Flink session cluster (a JobManager and a TaskManager JVM, started from
 * Maven Central jars with {@code flink-conf/config.yaml}), submitted through the REST API as {@code flink run}
 * would: the packaging (driver, relocated Jackson, migrations in the jar) and the cluster configuration are what
 * is under test. Runs after {@code package}, by failsafe.
 */
class SessionClusterITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final String PASSWORD = "cluster-pw-never-shown-91c2";
    private static final Path WORK = Path.of("target", "session-cluster").toAbsolutePath();

    private static FlinkSessionCluster cluster;

    /** One TaskManager with the shipped configuration's slots; the password in the environment, as in production. */
    @BeforeAll
    static void startCluster() throws Exception {
        int metricsPortBase = FreePorts.takeRange(5);
        cluster = FlinkSessionCluster.start(
                WORK, Map.of("MDS_JDBC_PASSWORD", PASSWORD), 1, metricsPortBase + "-" + (metricsPortBase + 4));
        cluster.awaitJson("/overview", overview -> overview.path("slots-total").asInt() == 2, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theJarRunsOnASessionClusterWithExactResultsAndNoPasswordInItsConfiguration() throws Exception {
        Path dlq = WORK.resolve("dlq-" + UUID.randomUUID());
        String jarId = cluster.upload(Path.of("target", "market-data-job.jar"));
        List<String> args = List.of(
                "--symbols",
                "8",
                "--bars-per-symbol",
                "50",
                "--invalid-every",
                "9",
                "--rate",
                "0",
                "--jdbc-url",
                DB.jdbcUrl(),
                "--dlq-dir",
                dlq.toString(),
                "--checkpoint-interval",
                "500ms",
                "--job-name",
                "cluster-it");
        String jobId = cluster.submit(jarId, args, 2, null, false);

        cluster.awaitState(jobId, "FINISHED");

        ExpectedSynthetic expected =
                ExpectedSynthetic.of(new SyntheticSpec(8, 50, 0, 9, 42, Instant.parse("2024-01-02T14:30:00Z")));
        assertThat(Tables.bars(DB)).containsExactlyInAnyOrderElementsOf(expected.validBars());
        assertThat(Tables.deadLetters(dlq)).hasSize(expected.rejected().size());
        assertThat(DB.preparedTransactions()).isEmpty();

        JsonNode config = cluster.get("/jobs/" + jobId + "/config");
        assertThat(config.path("execution-config")
                        .path("user-config")
                        .path("delivery")
                        .asText())
                .isEqualTo("exactly-once");
        assertThat(config.toString()).doesNotContain(PASSWORD);
        assertThat(cluster.get("/jobmanager/config").toString()).doesNotContain(PASSWORD);
    }
}
