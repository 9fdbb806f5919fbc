package dev.marketdata.job.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.json.BarJson;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.testing.ExpectedSynthetic;
import dev.marketdata.job.testing.JobProcess;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.synthetic.SyntheticSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The job killed with {@code kill -9} in the middle of a run (its own JVM: a real crash, no shutdown hook), then
 * resumed with {@code --restore latest}: the table and the dead-letter queue must equal those of an
 * uninterrupted run, row for row and line for line, and no prepared transaction may be left behind.
 */
class CrashRecoveryITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final SyntheticSpec SPEC =
            new SyntheticSpec(20, 300, 1500, 37, 42, Instant.parse("2024-01-02T14:30:00Z"));

    @BeforeEach
    void emptyTable() throws Exception {
        SchemaMigrator.migrate(DB.jdbc());
        DB.execute("TRUNCATE bars");
    }

    private static String[] args(Path dir, int parallelism, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--symbols",
                "20",
                "--bars-per-symbol",
                "300",
                "--rate",
                "1500",
                "--invalid-every",
                "37",
                "--seed",
                "42",
                "--jdbc-url",
                DB.jdbcUrl(),
                "--dlq-dir",
                dir.resolve("dlq").toString(),
                "--checkpoint-dir",
                dir.resolve("checkpoints").toString(),
                "--checkpoint-interval",
                "300ms",
                "--parallelism",
                String.valueOf(parallelism),
                "--job-name",
                "crash-test",
                "--web-port",
                String.valueOf(FreePorts.take()),
                "--metrics-port",
                String.valueOf(FreePorts.take())));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @ParameterizedTest(name = "resumed at parallelism {0}")
    @ValueSource(ints = {2, 1, 3})
    void killedMidRunAndResumedFromTheLatestCheckpointEqualsAnUninterruptedRun(int resumeParallelism, @TempDir Path dir)
            throws Exception {
        ExpectedSynthetic expected = ExpectedSynthetic.of(SPEC);
        Path work = Path.of("target", "crash-it");

        long rowsAtCrash;
        try (JobProcess first = JobProcess.start(work, Map.of(), LocalRunner.class.getName(), args(dir, 2))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (DB.count("bars") == 0) {
                assertThat(first.isAlive()).as(first.output()).isTrue();
                assertThat(System.nanoTime()).as("no rows committed in time").isLessThan(deadline);
                Thread.sleep(50);
            }
            Thread.sleep(400); // let the next checkpoint's transactions be open or prepared when the crash comes
            first.killHard();
            rowsAtCrash = DB.count("bars");
        }
        assertThat(rowsAtCrash)
                .as("the crash came mid-run")
                .isBetween(1L, (long) expected.validBars().size() - 1);
        assertThat(RetainedCheckpoints.latest(dir.resolve("checkpoints"))).isPresent();

        try (JobProcess second = JobProcess.start(
                work, Map.of(), LocalRunner.class.getName(), args(dir, resumeParallelism, "--restore", "latest"))) {
            assertThat(second.waitFor(120)).as(second.output()).isZero();
            assertThat(second.output()).contains("[run-local] Resuming from ");
        }

        assertThat(Tables.bars(DB)).containsExactlyInAnyOrderElementsOf(expected.validBars());
        BarJson json = new BarJson();
        assertThat(Tables.deadLetters(dir.resolve("dlq")).stream()
                        .map(line -> line.get("reason").asText() + " " + line.get("record")))
                .containsExactlyInAnyOrderElementsOf(expected.rejected().stream()
                        .map(r -> r.reason() + " " + Json.toJson(json, r.bar()))
                        .toList());
        assertThat(DB.preparedTransactions()).isEmpty();
    }

    @Test
    void stoppedWithCtrlCTakesASavepointThatResumesExactly(@TempDir Path dir) throws Exception {
        List<String> common = List.of(
                "--symbols",
                "6",
                "--invalid-every",
                "11",
                "--seed",
                "42",
                "--jdbc-url",
                DB.jdbcUrl(),
                "--dlq-dir",
                dir.resolve("dlq").toString(),
                "--checkpoint-dir",
                dir.resolve("checkpoints").toString(),
                "--checkpoint-interval",
                "500ms");
        Path work = Path.of("target", "crash-it");
        List<String> unbounded = new ArrayList<>(common);
        unbounded.addAll(List.of(
                "--rate",
                "120",
                "--web-port",
                String.valueOf(FreePorts.take()),
                "--metrics-port",
                String.valueOf(FreePorts.take())));
        // Logging as bin/run-local sets it up.
        Path log = dir.resolve("logs").resolve("run-local.log");
        List<String> logging = List.of(
                "-Dlog.file=" + log.toAbsolutePath(),
                "-Dlog4j.configurationFile="
                        + Path.of("..", "flink-conf", "log4j-run-local.properties")
                                .toAbsolutePath()
                                .normalize());
        try (JobProcess first = JobProcess.startWithClassPath(
                work,
                Map.of(),
                logging,
                System.getProperty("java.class.path"),
                LocalRunner.class.getName(),
                unbounded.toArray(String[]::new))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (DB.count("bars") == 0) {
                assertThat(first.isAlive()).as(first.output()).isTrue();
                assertThat(System.nanoTime()).as("no rows committed in time").isLessThan(deadline);
                Thread.sleep(50);
            }
            Thread.sleep(1000);
            first.close(); // SIGTERM, as Ctrl-C: the shutdown hook stops the job with a savepoint
            assertThat(first.output()).contains("[run-local] Stopped with a savepoint at ");
        }
        // The run's log tells its whole story, from the start to the savepoint that stopped it.
        assertThat(Files.readString(log))
                .contains("LocalRunner", " - Schema up to date", " - Flink web UI: http://localhost:")
                .contains("switched from state CREATED to RUNNING")
                .contains("Triggering stop-with-savepoint for job")
                .contains(" - Stopping with a savepoint ...", " - Stopped with a savepoint at ")
                .containsPattern("Job market-data-store \\(\\w+\\) switched from state RUNNING to FINISHED");
        assertThat(DB.preparedTransactions()).isEmpty();

        // Resume bounded: the savepoint's positions carry on to bar 200 of every symbol.
        List<String> bounded = new ArrayList<>(common);
        bounded.addAll(List.of(
                "--rate",
                "0",
                "--bars-per-symbol",
                "200",
                "--restore",
                "latest",
                "--web-port",
                String.valueOf(FreePorts.take()),
                "--metrics-port",
                String.valueOf(FreePorts.take())));
        try (JobProcess second =
                JobProcess.start(work, Map.of(), LocalRunner.class.getName(), bounded.toArray(String[]::new))) {
            assertThat(second.waitFor(120)).as(second.output()).isZero();
            assertThat(second.output()).containsPattern("Resuming from .*savepoint-");
        }
        ExpectedSynthetic expected = ExpectedSynthetic.of(new SyntheticSpec(6, 200, 0, 11, 42, SPEC.start()));
        assertThat(Tables.bars(DB)).containsExactlyInAnyOrderElementsOf(expected.validBars());
        assertThat(Tables.deadLetters(dir.resolve("dlq")))
                .hasSize(expected.rejected().size());
        assertThat(DB.preparedTransactions()).isEmpty();
    }
}
