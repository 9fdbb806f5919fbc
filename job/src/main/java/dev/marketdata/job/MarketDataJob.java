package dev.marketdata.job;

import dev.marketdata.job.MarketDataPipeline.DeadLetters;
import dev.marketdata.job.MarketDataPipeline.Flow;
import dev.marketdata.job.cli.CommandLine;
import dev.marketdata.job.cli.JobSettings;
import dev.marketdata.job.cli.MarketDataOptions;
import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.job.dlq.DeadLetterFiles;
import dev.marketdata.job.dlq.DeadLetterKafka;
import dev.marketdata.job.dlq.DeadLetterRoute;
import dev.marketdata.job.kafka.KafkaInput;
import dev.marketdata.job.provider.ProviderInput;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.sink.AtLeastOncePostgresSink;
import dev.marketdata.job.sink.ExactlyOncePostgresSink;
import dev.marketdata.job.sink.table.DeadLetterTable;
import dev.marketdata.job.sink.table.PgTable;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.ProviderSettings;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point for {@code flink run}: parses the options, brings the schema up to date, and submits the job.
 * {@code bin/run-local} runs the same job in an embedded cluster ({@link dev.marketdata.job.local.LocalRunner}).
 */
public final class MarketDataJob {

    private MarketDataJob() {}

    public static void main(String[] args) throws Exception {
        if (CommandLine.wantsHelp(args)) {
            System.out.print(CommandLine.help("flink run market-data-job.jar", MarketDataOptions.ALL));
            return;
        }
        Configuration options = CommandLine.parse(args, MarketDataOptions.ALL);
        JobSettings settings = JobSettings.from(options, System.getenv());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(settings.flinkConfiguration());
        SchemaMigrator.migrate(settings.jdbc());
        // The environment holds the client's configuration: the parallelism (-p or the cluster's default), and
        // the checkpoint or savepoint to restore (-s).
        String refused = StartChecks.whyDeliveryIsImpossible(settings, env.getParallelism());
        if (refused == null) {
            boolean restoring = env.getConfiguration()
                    .getOptional(StateRecoveryOptions.SAVEPOINT_PATH)
                    .isPresent();
            refused = StartChecks.whyAFreshStartIsRefused(
                    settings,
                    restoring,
                    options.get(MarketDataOptions.DISCARD_PREPARED_TRANSACTIONS),
                    System.out::println);
        }
        if (refused != null) {
            throw new IllegalStateException(refused);
        }
        wire(env, settings);
        env.execute(settings.jobName());
    }

    /** Builds the real sources and sinks the settings name and wires them into the pipeline. */
    public static void wire(StreamExecutionEnvironment env, JobSettings settings) {
        List<Flow<?>> flows = settings.datasets().stream()
                .<Flow<?>>map(d -> flow(d, settings))
                .toList();
        MarketDataPipeline.wire(env, flows, deadLetters(settings));
    }

    /**
     * The PostgreSQL sink of a data set's table, with the delivery guarantee and dead-letter destination the
     * settings ask for. Every data set's sink is made here, so both apply to all of them.
     */
    public static <T> Sink<T> postgresSink(JobSettings settings, PgTable<T> table) {
        return postgresSink(settings, table, settings.deadLetters().refusedRows());
    }

    /** @param deadLetters where refused rows go */
    private static <T> Sink<T> postgresSink(
            JobSettings settings, PgTable<T> table, DeadLetterRoute.ForRefusedRows deadLetters) {
        return switch (settings.delivery()) {
            case EXACTLY_ONCE ->
                new ExactlyOncePostgresSink<>(
                        settings.jdbc(),
                        table,
                        settings.sink(),
                        deadLetters,
                        settings.jobName(),
                        StartChecks.exactlyOnceSinks(settings));
            case AT_LEAST_ONCE -> new AtLeastOncePostgresSink<>(settings.jdbc(), table, settings.sink(), deadLetters);
        };
    }

    private static <T> Flow<T> flow(Dataset<T> dataset, JobSettings settings) {
        Sink<T> sink = postgresSink(settings, dataset.table());
        return switch (settings.source()) {
            case SYNTHETIC -> Flow.ofRecords(dataset, dataset.synthetic().apply(settings.synthetic()), sink);
            case KAFKA -> Flow.ofKafka(dataset, KafkaInput.source(settings.kafka(), dataset.name()), sink);
            case POLYGON, ALPACA, IBKR -> providerFlow(dataset, settings, sink);
        };
    }

    private static <T> Flow<T> providerFlow(Dataset<T> dataset, JobSettings settings, Sink<T> sink) {
        // One provider, one rate limit: its data sets' sources share it.
        ProviderSettings provider =
                ProviderInput.share(settings.provider(), settings.datasets().size());
        if (settings.live() != null) {
            // JobSettings admits --live with the bars data set only.
            @SuppressWarnings("unchecked")
            Flow<T> live = (Flow<T>) Flow.ofLiveProvider(
                    (Dataset<Bar>) dataset,
                    ProviderInput.liveSource(settings.source(), provider, settings.live()),
                    (Sink<Bar>) sink);
            return live;
        }
        // JobSettings admits only the data sets the provider serves (ProviderInput.datasets).
        return Flow.ofProvider(dataset, ProviderInput.source(settings.source(), dataset, provider), sink);
    }

    /**
     * Where the dead letters of parsing and validation go: the Kafka topic when one is named, else files or the
     * dead-letter table (whose own refusals fail the task).
     */
    static DeadLetters deadLetters(JobSettings settings) {
        DeadLetterRoute route = settings.deadLetters();
        if (route instanceof DeadLetterRoute.Kafka kafka) {
            return DeadLetters.toKafka(DeadLetterKafka.sink(
                    settings.kafka(), kafka.topic(), settings.delivery(), settings.dlqTransactionalIdPrefix()));
        }
        if (route instanceof DeadLetterRoute.Table) {
            return DeadLetters.toTable(postgresSink(settings, new DeadLetterTable(), new DeadLetterRoute.FailTask()));
        }
        return DeadLetters.toFiles(DeadLetterFiles.sink(settings.dlqDir()));
    }
}
