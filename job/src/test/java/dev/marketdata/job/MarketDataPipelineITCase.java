package dev.marketdata.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.cli.CommandLine;
import dev.marketdata.job.cli.JobSettings;
import dev.marketdata.job.cli.MarketDataOptions;
import dev.marketdata.job.core.Delivery;
import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.job.json.BarJson;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.testing.ExpectedDataset;
import dev.marketdata.job.testing.ExpectedSynthetic;
import dev.marketdata.job.testing.PipelineTestCluster;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.model.Fundamentals;
import dev.marketdata.sources.model.NewsArticle;
import dev.marketdata.sources.model.OptionQuote;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The whole job on a Flink MiniCluster (parallelism 2) against a real PostgreSQL. */
class MarketDataPipelineITCase {

    @RegisterExtension
    static final PipelineTestCluster CLUSTER = PipelineTestCluster.onSharedServer();

    private static final PostgresTestDatabase DB = CLUSTER.database();
    private static final InMemoryReporter METRICS = CLUSTER.metrics();

    @BeforeEach
    void emptyDatabase() throws Exception {
        CLUSTER.freshSchema();
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void storesExactlyTheValidBarsAndDeadLettersExactlyTheInvalidOnes(Delivery delivery, @TempDir Path dlq)
            throws Exception {
        JobSettings settings = JobSettings.from(
                CommandLine.parse(
                        new String[] {
                            "--delivery",
                            delivery.toString(),
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
                            "50"
                        },
                        MarketDataOptions.ALL),
                Map.of());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(settings.flinkConfiguration());
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
            assertThat(counterSum(job, "reason\\." + reason + "\\.recordsRejected"))
                    .as(reason)
                    .isEqualTo(count);
            assertThat(counterSum(job, "dataset\\.bars\\.reason\\." + reason + "\\.deadLetters"))
                    .as(reason)
                    .isEqualTo(count);
        });
        assertThat(counterSum(job, "reason\\.NEGATIVE_TRADES\\.recordsRejected"))
                .isZero();
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

    @Test
    void carriesAllFourDataSetsAtOnceEachIntoItsTableAndDeadLetterFolder(@TempDir Path dlq) throws Exception {
        JobSettings settings = JobSettings.from(
                CommandLine.parse(
                        new String[] {
                            "--datasets",
                            "bars,options,fundamentals,news",
                            "--symbols",
                            "6",
                            "--bars-per-symbol",
                            "24",
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
                            "200"
                        },
                        MarketDataOptions.ALL),
                Map.of());
        SchemaMigrator.migrate(settings.jdbc());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(settings.flinkConfiguration());
        MarketDataJob.wire(env, settings);

        JobID job = env.execute("all-datasets-it").getJobID();

        ExpectedDataset<Bar> bars = ExpectedDataset.of(settings.synthetic(), Dataset.BARS);
        ExpectedDataset<OptionQuote> options = ExpectedDataset.of(settings.synthetic(), Dataset.OPTIONS);
        ExpectedDataset<Fundamentals> fundamentals = ExpectedDataset.of(settings.synthetic(), Dataset.FUNDAMENTALS);
        ExpectedDataset<NewsArticle> news = ExpectedDataset.of(settings.synthetic(), Dataset.NEWS);
        assertThat(options.valid()).hasSize(6 * 24 * 20 - 6 * 24 * 20 / 7);
        assertThat(fundamentals.rejected()).isNotEmpty();
        assertThat(news.rejected()).isNotEmpty();

        assertThat(Tables.bars(DB)).containsExactlyInAnyOrderElementsOf(bars.valid());
        assertThat(Tables.optionQuotes(DB)).containsExactlyInAnyOrderElementsOf(options.valid());
        assertThat(Tables.fundamentals(DB)).containsExactlyInAnyOrderElementsOf(fundamentals.valid());
        assertThat(Tables.news(DB)).containsExactlyInAnyOrderElementsOf(news.valid());

        assertThat(Tables.inProgressFiles(dlq)).isEmpty();
        assertDeadLetters(dlq, Dataset.BARS, bars);
        assertDeadLetters(dlq, Dataset.OPTIONS, options);
        assertDeadLetters(dlq, Dataset.FUNDAMENTALS, fundamentals);
        assertDeadLetters(dlq, Dataset.NEWS, news);

        assertThat(counterSum(job, "dataset\\.options\\.recordsValidated"))
                .isEqualTo(options.valid().size());
        assertThat(counterSum(job, "dataset\\.news\\.reason\\.[A-Z_]+\\.recordsRejected"))
                .isEqualTo(news.rejected().size());
        assertThat(counterSum(job, "table\\.fundamentals\\.rowsWritten"))
                .isEqualTo(fundamentals.valid().size());
        assertThat(counterSum(job, "table\\.option_quotes\\.rowsWritten"))
                .isEqualTo(options.valid().size());
        assertThat(counterSum(job, "dataset\\.fundamentals\\.reason\\.UNKNOWN_PERIOD\\.deadLetters"))
                .isEqualTo(fundamentals.rejected().stream()
                        .filter(r -> r.reason().equals("UNKNOWN_PERIOD"))
                        .count());
    }

    private static <T> void assertDeadLetters(Path dlq, Dataset<T> dataset, ExpectedDataset<T> expected) {
        List<JsonNode> lines = Tables.deadLetters(dlq.resolve(dataset.name()));
        assertThat(lines.stream().map(l -> l.get("reason").asText() + " " + l.get("record")))
                .as(dataset.name())
                .containsExactlyInAnyOrderElementsOf(expected.rejectedLines(dataset));
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.get("dataset").asText()).isEqualTo(dataset.name());
            assertThat(line.get("stage").asText()).isEqualTo("validate");
            assertThat(line.get("message").asText()).isNotBlank();
        });
    }

    private static Map<String, Metric> metrics(JobID job, String suffix) {
        return METRICS.findMetrics(job, ".*" + suffix);
    }

    private static long counterSum(JobID job, String suffix) {
        return metrics(job, suffix).values().stream()
                .mapToLong(m -> ((Counter) m).getCount())
                .sum();
    }
}
