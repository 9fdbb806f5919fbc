package dev.marketdata.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.cli.CommandLine;
import dev.marketdata.job.cli.JobSettings;
import dev.marketdata.job.cli.MarketDataOptions;
import dev.marketdata.job.json.BarJson;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.testing.ExpectedSynthetic;
import dev.marketdata.job.testing.PipelineTestCluster;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database goes away in the middle of a run, on a PostgreSQL server of the test's own (stopped with
 * {@code pg_ctl stop}, started again on the same port): a 30-second outage is waited out by the sink's circuit
 * breaker without a single restart, and an outage longer than the retry budget restarts the job from its
 * checkpoint; both end with exactly the expected rows and dead letters.
 */
class DatabaseOutageITCase {

    @RegisterExtension
    static final PipelineTestCluster CLUSTER =
            PipelineTestCluster.onPrivateServer(Path.of("target", "outage-postgres"));

    private static final PostgresTestDatabase DB = CLUSTER.database();
    private static final InMemoryReporter METRICS = CLUSTER.metrics();

    private static final String CIRCUIT_STATE = "table\\.bars\\.circuitState";

    @BeforeEach
    void emptyTable() throws Exception {
        DB.execute("TRUNCATE bars");
    }

    private static JobSettings settings(Path dlq, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--symbols",
                "10",
                "--bars-per-symbol",
                "1000",
                "--invalid-every",
                "50",
                "--rate",
                "1000",
                "--jdbc-url",
                DB.jdbcUrl(),
                "--dlq-dir",
                dlq.toString(),
                "--parallelism",
                "2",
                "--checkpoint-interval",
                "500ms",
                "--sink.batch.max-rows",
                "50"));
        args.addAll(List.of(more));
        return JobSettings.from(CommandLine.parse(args.toArray(String[]::new), MarketDataOptions.ALL), Map.of());
    }

    private static JobClient start(JobSettings settings) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(settings.flinkConfiguration());
        MarketDataJob.wire(env, settings);
        return env.executeAsync("outage-it");
    }

    private static void awaitCommittedRows() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (DB.count("bars") == 0) {
            assertThat(System.nanoTime()).as("no rows committed in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** The circuit-state gauge of each sink subtask, by metric identifier. */
    private static Map<String, Integer> circuitStates(JobID job) {
        Map<String, Integer> states = new TreeMap<>();
        METRICS.findMetrics(job, ".*" + CIRCUIT_STATE)
                .forEach((id, m) -> states.put(id, (Integer) ((Gauge<?>) m).getValue()));
        return states;
    }

    /** The highest backPressuredTimeMsPerSecond among the source tasks (source, validation, DLQ sink chained). */
    private static long sourceBackPressure(JobID job) {
        return METRICS.findMetrics(job, ".*backPressuredTimeMsPerSecond").entrySet().stream()
                .filter(e -> e.getKey().contains("Bars source"))
                .mapToLong(e -> ((Number) ((Gauge<?>) e.getValue()).getValue()).longValue())
                .max()
                .orElse(-1);
    }

    private static Map<String, Long> counters(JobID job, String suffix) {
        Map<String, Long> counters = new TreeMap<>();
        METRICS.findMetrics(job, ".*" + suffix).forEach((id, m) -> counters.put(id, ((Counter) m).getCount()));
        return counters;
    }

    /**
     * @param restarted whether the job restarted: Flink's FileSink leaves the hidden in-progress files of a failed
     *     attempt behind (never published, so harmless), but no staged file of the sink may remain either way
     */
    private static void assertExactResult(JobSettings settings, Path dlq, boolean restarted) throws Exception {
        ExpectedSynthetic expected = ExpectedSynthetic.of(settings.synthetic());
        assertThat(Tables.bars(DB)).containsExactlyInAnyOrderElementsOf(expected.validBars());
        BarJson json = new BarJson();
        assertThat(Tables.deadLetters(dlq).stream().map(l -> l.get("reason").asText() + " " + l.get("record")))
                .containsExactlyInAnyOrderElementsOf(expected.rejected().stream()
                        .map(r -> r.reason() + " " + Json.toJson(json, r.bar()))
                        .toList());
        if (restarted) {
            assertThat(Tables.inProgressFiles(dlq))
                    .allSatisfy(p -> assertThat(p.getFileName().toString())
                            .startsWith(".dead-letters-")
                            .contains(".ndjson.inprogress."));
        } else {
            assertThat(Tables.inProgressFiles(dlq)).isEmpty();
        }
        assertThat(DB.preparedTransactions()).isEmpty();
    }

    @Test
    void aThirtySecondOutageIsWaitedOutBehindAnOpenCircuitWithoutARestart(@TempDir Path dlq) throws Exception {
        // The cool-down outlasts the outage, so each breaker opens once and its one probe finds the server back.
        JobSettings settings = settings(
                dlq,
                "--restart-attempts",
                "0",
                "--sink.breaker.failures",
                "5",
                "--sink.breaker.cool-down",
                "35s",
                "--sink.retry.budget",
                "2min");
        JobClient client = start(settings);
        JobID job = client.getJobID();
        awaitCommittedRows();
        assertThat(circuitStates(job)).hasSize(2).allSatisfy((id, state) -> assertThat(state)
                .isZero());

        DB.server().stop();
        try {
            long stopped = System.nanoTime();
            // Both subtasks' breakers open while the server is down: no attempt reaches it...
            while (!circuitStates(job).values().stream().allMatch(state -> state == 1)) {
                assertThat(Duration.ofNanos(System.nanoTime() - stopped))
                        .as("breakers open: " + circuitStates(job))
                        .isLessThan(Duration.ofSeconds(25));
                Thread.sleep(10);
            }
            long opened = System.nanoTime() - stopped;
            // ... and backpressure reaches the sources, as the web UI's backpressure tab shows.
            long maxBackPressure = 0;
            while (Duration.ofNanos(System.nanoTime() - stopped).compareTo(Duration.ofSeconds(30)) < 0) {
                maxBackPressure = Math.max(maxBackPressure, sourceBackPressure(job));
                Thread.sleep(100);
            }
            assertThat(maxBackPressure)
                    .as("ms/s the source tasks were back-pressured")
                    .isGreaterThan(500);
            System.out.printf(
                    "[outage] both breakers open %d ms after the stop; sources back-pressured up to %d ms/s%n",
                    opened / 1_000_000, maxBackPressure);
        } finally {
            DB.server().startAgain();
        }
        long back = System.nanoTime();

        client.getJobExecutionResult().get(3, TimeUnit.MINUTES); // --restart-attempts 0: any failure fails the job
        System.out.printf(
                "[outage] job finished %d ms after the server was back%n", (System.nanoTime() - back) / 1_000_000);

        assertExactResult(settings, dlq, false);
        // From closed, a breaker can only open; from open, only half-open; from half-open, close or reopen. Three
        // transitions ending closed are therefore exactly 0 -> 1 -> 2 -> 0.
        assertThat(counters(job, "table\\.bars\\.circuitTransitions"))
                .hasSize(2)
                .allSatisfy((id, n) -> assertThat(n).isEqualTo(3));
        assertThat(circuitStates(job)).hasSize(2).allSatisfy((id, state) -> assertThat(state)
                .isZero());
        // Per subtask: four retries before the fifth failure opened the breaker, then the probe (writer and
        // committer count theirs apart, but share the breaker).
        assertThat(counters(job, "table\\.bars\\.retries").values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .isGreaterThanOrEqualTo(2 * 5);
    }

    @Test
    void anOutageLongerThanTheRetryBudgetRestartsTheJobFromItsCheckpoint(@TempDir Path dlq) throws Exception {
        JobSettings settings = settings(
                dlq,
                "--restart-attempts",
                "20",
                "--sink.retry.budget",
                "1s",
                "--sink.breaker.cool-down",
                "200ms",
                "--sink.retry.max-backoff",
                "200ms");
        JobClient client = start(settings);
        JobID job = client.getJobID();
        awaitCommittedRows();

        DB.server().stop();
        try {
            Thread.sleep(6_000);
        } finally {
            DB.server().startAgain();
        }

        client.getJobExecutionResult().get(3, TimeUnit.MINUTES);

        assertExactResult(settings, dlq, true);
        Map<String, Metric> restarts = METRICS.findMetrics(job, ".*numRestarts");
        assertThat(restarts).isNotEmpty();
        assertThat(restarts.values())
                .allSatisfy(m -> assertThat(((Gauge<Long>) m).getValue()).isPositive());
    }
}
