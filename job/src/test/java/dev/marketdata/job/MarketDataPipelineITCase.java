package dev.marketdata.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.cli.CommandLine;
import dev.marketdata.job.cli.JobSettings;
import dev.marketdata.job.cli.MarketDataOptions;
import dev.marketdata.job.json.BarJson;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.testing.ExpectedSynthetic;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import dev.marketdata.job.sink.Delivery;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole job on a Flink MiniCluster (parallelism 2) against a real PostgreSQL. */
class MarketDataPipelineITCase {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
            .build());

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    @BeforeEach
    void emptyTable() throws Exception {
        SchemaMigrator.migrate(DB.jdbc());
        DB.execute("TRUNCATE bars");
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void storesExactlyTheValidBarsAndDeadLettersExactlyTheInvalidOnes(Delivery delivery, @TempDir Path dlq)
            throws Exception {
        JobSettings settings = JobSettings.from(CommandLine.parse(new String[] {
                    "--delivery", delivery.toString(),
                    "--symbols", "12", "--bars-per-symbol", "40", "--invalid-every", "7", "--rate", "0",
                    "--jdbc-url", DB.jdbcUrl(), "--dlq-dir", dlq.toString(), "--parallelism", "2",
                    "--checkpoint-interval", "300ms", "--sink.batch.max-rows", "50"
                }, MarketDataOptions.ALL), Map.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(settings.flinkConfiguration());
        MarketDataJob.wire(env, settings);

        JobID job = env.execute("pipeline-it").getJobID();

        ExpectedSynthetic expected = ExpectedSynthetic.of(settings.synthetic());
        assertThat(expected.validBars()).hasSize(480 - 68);
        assertThat(Tables.bars(DB)).containsExactlyInAnyOrderElementsOf(expected.validBars());

        List<JsonNode> deadLetters = Tables.deadLetters(dlq.resolve("bars"));
        assertThat(Tables.inProgressFiles(dlq)).isEmpty();
        assertThat(deadLetters).hasSize(68);
        BarJson barJson = new BarJson();
        assertThat(deadLetters.stream().map(l -> l.get("reason").asText() + " " + l.get("record")))
                .containsExactlyInAnyOrderElementsOf(expected.rejected().stream()
                        .map(r -> r.reason() + " " + Json.toJson(barJson, r.bar()))
                        .toList());
        assertThat(deadLetters).allSatisfy(line -> {
            assertThat(line.get("dataset").asText()).isEqualTo("bars");
            assertThat(line.get("stage").asText()).isEqualTo("validate");
            assertThat(line.get("message").asText()).isNotBlank();
            assertThat(Instant.parse(line.get("rejectedAt").asText())).isBefore(Instant.now());
        });

        assertThat(counterSum(job, "dataset\\.bars\\.recordsValidated")).isEqualTo(412);
        Map<String, Long> rejectedByReason = expected.rejected().stream()
                .collect(Collectors.groupingBy(ExpectedSynthetic.Rejected::reason, Collectors.counting()));
        assertThat(rejectedByReason).hasSize(5).containsValues(14L, 14L, 14L, 13L, 13L);
        rejectedByReason.forEach((reason, count) -> {
            assertThat(counterSum(job, "reason\\." + reason + "\\.recordsRejected")).as(reason).isEqualTo(count);
            assertThat(counterSum(job, "dataset\\.bars\\.reason\\." + reason + "\\.deadLetters")).as(reason)
                    .isEqualTo(count);
        });
        assertThat(counterSum(job, "reason\\.NEGATIVE_TRADES\\.recordsRejected")).isZero();
        assertThat(counterSum(job, "table\\.bars\\.rowsWritten")).isEqualTo(412);
        assertThat(counterSum(job, "table\\.bars\\.rowsUpserted")).isZero();
        long batches = counterSum(job, "table\\.bars\\.batchesWritten");
        assertThat(batches).isGreaterThanOrEqualTo(412 / 50);
        assertThat(metrics(job, "table\\.bars\\.writeLatencyMs").values().stream()
                        .mapToLong(m -> ((Histogram) m).getCount())
                        .sum())
                .isEqualTo(batches);
        if (delivery == Delivery.EXACTLY_ONCE) {
            long prepared = counterSum(job, "table\\.bars\\.transactionsPrepared");
            assertThat(prepared).isPositive();
            assertThat(counterSum(job, "table\\.bars\\.transactionsCommitted")).isEqualTo(prepared);
            assertThat(DB.preparedTransactions()).isEmpty();
        } else {
            assertThat(metrics(job, "transactionsPrepared")).isEmpty();
        }
    }

    private static Map<String, Metric> metrics(JobID job, String suffix) {
        return METRICS.findMetrics(job, ".*" + suffix);
    }

    private static long counterSum(JobID job, String suffix) {
        return metrics(job, suffix).values().stream().mapToLong(m -> ((Counter) m).getCount()).sum();
    }
}
