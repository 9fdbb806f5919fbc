package dev.marketdata.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.cli.CommandLine;
import dev.marketdata.job.cli.JobSettings;
import dev.marketdata.job.cli.MarketDataOptions;
import dev.marketdata.job.dlq.DeadLetterDestination;
import dev.marketdata.job.json.BarJson;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.testing.ExpectedSynthetic;
import dev.marketdata.job.testing.PipelineTestCluster;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.model.Bar;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rows that pass validation but that the table refuses (a CHECK constraint a known set of them violates): the
 * whole job on a MiniCluster must store every other row, dead-letter exactly those with SQLState 23514, and
 * never fail or restart for them (it runs with no restart allowed).
 */
class PoisonRowsITCase {

    @RegisterExtension
    static final PipelineTestCluster CLUSTER = PipelineTestCluster.onSharedServer();

    private static final PostgresTestDatabase DB = CLUSTER.database();
    private static final InMemoryReporter METRICS = CLUSTER.metrics();

    static final String CONSTRAINT = "ALTER TABLE bars ADD CONSTRAINT poison CHECK (trades % 23 <> 0)";
    static final String CHECK_MESSAGE = "new row for relation \"bars\" violates check constraint \"poison\"";

    @BeforeEach
    void tableWithAConstraint() throws Exception {
        DB.execute("TRUNCATE bars, dead_letters");
        DB.execute(CONSTRAINT);
    }

    @AfterEach
    void dropConstraint() throws Exception {
        DB.execute("ALTER TABLE bars DROP CONSTRAINT IF EXISTS poison");
    }

    static boolean poison(Bar bar) {
        return bar.trades() % 23 == 0;
    }

    @ParameterizedTest(name = "{0}, dead letters to {1}")
    @CsvSource({"exactly-once, files", "at-least-once, files", "exactly-once, table"})
    void storesEveryOtherRowAndDeadLettersExactlyTheRefusedOnes(String delivery, String destination, @TempDir Path dlq)
            throws Exception {
        JobSettings settings = JobSettings.from(
                CommandLine.parse(
                        new String[] {
                            "--delivery",
                            delivery,
                            "--dlq-destination",
                            destination,
                            "--symbols",
                            "12",
                            "--bars-per-symbol",
                            "40",
                            "--invalid-every",
                            "7",
                            "--rate",
                            "0",
                            "--jdbc-url",
                            DB.jdbcUrl(),
                            "--dlq-dir",
                            dlq.toString(),
                            "--parallelism",
                            "2",
                            "--checkpoint-interval",
                            "300ms",
                            "--sink.batch.max-rows",
                            "50",
                            "--restart-attempts",
                            "0"
                        },
                        MarketDataOptions.ALL),
                Map.of());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(settings.flinkConfiguration());
        MarketDataJob.wire(env, settings);

        JobID job = env.execute("poison-rows-it").getJobID(); // with --restart-attempts 0, any failure fails it

        ExpectedSynthetic expected = ExpectedSynthetic.of(settings.synthetic());
        List<Bar> refused =
                expected.validBars().stream().filter(PoisonRowsITCase::poison).toList();
        assertThat(refused).hasSize(27);
        assertThat(Tables.bars(DB))
                .containsExactlyInAnyOrderElementsOf(
                        expected.validBars().stream().filter(b -> !poison(b)).toList());

        BarJson json = new BarJson();
        List<String> expectedLetters = new ArrayList<>();
        expected.rejected()
                .forEach(r -> expectedLetters.add("validate " + r.reason() + " " + Json.toJson(json, r.bar())));
        refused.forEach(b -> expectedLetters.add("write 23514 " + CHECK_MESSAGE + " " + Json.toJson(json, b)));
        if (DeadLetterDestination.valueOf(destination.toUpperCase()) == DeadLetterDestination.FILES) {
            List<JsonNode> lines = Tables.deadLetters(dlq.resolve("bars"));
            assertThat(lines.stream().map(PoisonRowsITCase::describe))
                    .containsExactlyInAnyOrderElementsOf(expectedLetters);
            assertThat(Tables.inProgressFiles(dlq)).isEmpty();
        } else {
            assertThat(DB.rows(
                            "SELECT stage || ' ' || reason || CASE WHEN stage = 'write' THEN ' ' || message ELSE '' END"
                                    + " || ' ' || record::text FROM dead_letters"))
                    .containsExactlyInAnyOrderElementsOf(expectedLetters.stream()
                            .map(PoisonRowsITCase::asJsonb)
                            .toList());
        }

        assertThat(counterSum(job, "dataset\\.bars\\.reason\\.23514\\.deadLetters"))
                .isEqualTo(27);
        assertThat(counterSum(job, "table\\.bars\\.sqlStateClass\\.23\\.sqlErrors"))
                .isEqualTo(27);
        assertThat(counterSum(job, "table\\.bars\\.rowsWritten")).isEqualTo(412 - 27);
        assertThat(counterSum(job, "table\\.bars\\.retries")).isZero();
        assertThat(counterSum(job, "table\\.bars\\.circuitTransitions")).isZero();
        assertThat(DB.preparedTransactions()).isEmpty();
    }

    private static String describe(JsonNode line) {
        String stage = line.get("stage").asText();
        return stage + " " + line.get("reason").asText()
                + (stage.equals("write") ? " " + line.get("message").asText() : "") + " " + line.get("record");
    }

    /** The same description with the record as PostgreSQL prints a jsonb (spaces after ':' and ','). */
    private static String asJsonb(String description) {
        int brace = description.indexOf('{');
        try {
            String record = DB.rows("SELECT '" + description.substring(brace) + "'::jsonb::text")
                    .get(0);
            return description.substring(0, brace) + record;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long counterSum(JobID job, String suffix) {
        return METRICS.findMetrics(job, ".*" + suffix).values().stream()
                .mapToLong(m -> ((Counter) m).getCount())
                .sum();
    }
}
