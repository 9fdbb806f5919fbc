package dev.marketdata.job;

import dev.marketdata.job.cli.CommandLine;
import dev.marketdata.job.cli.JobSettings;
import dev.marketdata.job.cli.MarketDataOptions;
import dev.marketdata.job.dlq.DeadLetterFiles;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.sink.BarTable;
import dev.marketdata.job.sink.PostgresSink;
import dev.marketdata.sources.synthetic.SyntheticSource;
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
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(settings.flinkConfiguration());
        wire(env, settings);
        env.execute(settings.jobName());
    }

    /** Builds the real sources and sinks the settings name and wires them into the pipeline. */
    public static void wire(StreamExecutionEnvironment env, JobSettings settings) {
        MarketDataPipeline.wire(
                env,
                SyntheticSource.bars(settings.synthetic()),
                new PostgresSink<>(settings.jdbc(), new BarTable(), settings.sink()),
                DeadLetterFiles.sink(settings.dlqDir()));
    }
}
