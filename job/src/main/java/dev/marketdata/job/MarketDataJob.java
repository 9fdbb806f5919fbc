package dev.marketdata.job;

import dev.marketdata.job.cli.CommandLine;
import dev.marketdata.job.cli.JobSettings;
import dev.marketdata.job.cli.MarketDataOptions;
import dev.marketdata.job.dlq.DeadLetterFiles;
import dev.marketdata.job.dlq.DeadLetterSettings;
import dev.marketdata.job.dlq.DeadLetterTable;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.sink.BarTable;
import dev.marketdata.job.sink.Delivery;
import dev.marketdata.job.sink.ExactlyOncePostgresSink;
import dev.marketdata.job.sink.PgTable;
import dev.marketdata.job.sink.PostgresSink;
import dev.marketdata.job.sink.PreparedTransactions;
import java.sql.SQLException;
import org.apache.flink.api.connector.sink2.Sink;
import dev.marketdata.sources.synthetic.SyntheticBarSource;
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
        JobSettings settings = JobSettings.from(CommandLine.parse(args, MarketDataOptions.ALL), System.getenv());
        SchemaMigrator.migrate(settings.jdbc());
        String impossible = whyDeliveryIsImpossible(settings);
        if (impossible != null) {
            throw new IllegalStateException(impossible);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(settings.flinkConfiguration());
        wire(env, settings);
        env.execute(settings.jobName());
    }

    /** Builds the real sources and sinks the settings name and wires them into the pipeline. */
    public static void wire(StreamExecutionEnvironment env, JobSettings settings) {
        MarketDataPipeline.wire(
                env,
                new SyntheticBarSource(settings.synthetic()),
                postgresSink(settings, new BarTable()),
                deadLetterQueue(settings));
    }

    /** The sink for one data set's table, with the delivery guarantee and dead-letter queue the settings ask for. */
    public static <T> Sink<T> postgresSink(JobSettings settings, PgTable<T> table) {
        return postgresSink(settings, table, settings.deadLetters());
    }

    /** @param deadLetters where refused rows go; null to fail the task on them */
    private static <T> Sink<T> postgresSink(JobSettings settings, PgTable<T> table, DeadLetterSettings deadLetters) {
        return switch (settings.delivery()) {
            case EXACTLY_ONCE -> new ExactlyOncePostgresSink<>(
                    settings.jdbc(), table, settings.sink(), deadLetters, settings.jobName());
            case AT_LEAST_ONCE -> new PostgresSink<>(settings.jdbc(), table, settings.sink(), deadLetters);
        };
    }

    /** Where validation's dead letters go: files, or the dead-letter table (whose own refusals fail the task). */
    public static MarketDataPipeline.DeadLetterQueue deadLetterQueue(JobSettings settings) {
        return switch (settings.dlqDestination()) {
            case FILES -> MarketDataPipeline.DeadLetterQueue.files(DeadLetterFiles.sink(settings.dlqDir()));
            case TABLE -> MarketDataPipeline.DeadLetterQueue.table(postgresSink(settings, new DeadLetterTable(), null));
        };
    }

    /** One line saying why the database cannot give the chosen delivery guarantee, or null when it can. */
    public static String whyDeliveryIsImpossible(JobSettings settings) throws SQLException {
        return settings.delivery() == Delivery.EXACTLY_ONCE
                ? PreparedTransactions.whyExactlyOnceIsImpossible(settings.jdbc())
                : null;
    }
}
