package dev.marketdata.job.cli;

import static dev.marketdata.job.cli.MarketDataOptions.BARS_PER_SYMBOL;
import static dev.marketdata.job.cli.MarketDataOptions.CHECKPOINT_INTERVAL;
import static dev.marketdata.job.cli.MarketDataOptions.DATASETS;
import static dev.marketdata.job.cli.MarketDataOptions.DLQ_DIR;
import static dev.marketdata.job.cli.MarketDataOptions.DLQ_KAFKA_TOPIC;
import static dev.marketdata.job.cli.MarketDataOptions.INVALID_EVERY;
import static dev.marketdata.job.cli.MarketDataOptions.JDBC_PASSWORD_FILE;
import static dev.marketdata.job.cli.MarketDataOptions.JDBC_URL;
import static dev.marketdata.job.cli.MarketDataOptions.JDBC_USER;
import static dev.marketdata.job.cli.MarketDataOptions.JOB_NAME;
import static dev.marketdata.job.cli.MarketDataOptions.KAFKA_BOOTSTRAP;
import static dev.marketdata.job.cli.MarketDataOptions.KAFKA_BOUNDED;
import static dev.marketdata.job.cli.MarketDataOptions.KAFKA_GROUP;
import static dev.marketdata.job.cli.MarketDataOptions.KAFKA_PROPERTIES_FILE;
import static dev.marketdata.job.cli.MarketDataOptions.KAFKA_STARTING_OFFSETS;
import static dev.marketdata.job.cli.MarketDataOptions.PARALLELISM;
import static dev.marketdata.job.cli.MarketDataOptions.RATE;
import static dev.marketdata.job.cli.MarketDataOptions.SEED;
import static dev.marketdata.job.cli.MarketDataOptions.SINK_BATCH_MAX_DELAY;
import static dev.marketdata.job.cli.MarketDataOptions.SINK_BATCH_MAX_ROWS;
import static dev.marketdata.job.cli.MarketDataOptions.SOURCE;
import static dev.marketdata.job.cli.MarketDataOptions.START;
import static dev.marketdata.job.cli.MarketDataOptions.SYMBOLS;
import static org.apache.flink.util.Preconditions.checkArgument;

import dev.marketdata.job.cli.MarketDataOptions.Flag;
import dev.marketdata.job.core.Delivery;
import dev.marketdata.job.core.OptionFiles;
import dev.marketdata.job.core.SourceKind;
import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.job.dlq.DeadLetterDestination;
import dev.marketdata.job.dlq.DeadLetterFiles;
import dev.marketdata.job.dlq.DeadLetterRoute;
import dev.marketdata.job.kafka.KafkaSettings;
import dev.marketdata.job.provider.ProviderInput;
import dev.marketdata.job.provider.ProviderOptions;
import dev.marketdata.job.sink.config.BreakerSettings;
import dev.marketdata.job.sink.config.JdbcSettings;
import dev.marketdata.job.sink.config.RetryPolicy;
import dev.marketdata.job.sink.config.Secret;
import dev.marketdata.job.sink.config.SinkSettings;
import dev.marketdata.sources.provider.ProviderSettings;
import dev.marketdata.sources.provider.live.LiveSettings;
import dev.marketdata.sources.synthetic.SyntheticSpec;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;

/**
 * The job's options turned into validated settings objects, one per component, plus the Flink configuration
 * every deployment of the job needs.
 *
 * @param datasets the data sets the job carries, each once, in {@link Dataset#ALL}'s order
 * @param kafka the Kafka cluster, or null when neither the source nor the dead-letter queue uses one
 * @param dlqKafkaTopic the dead-letter topic, or null for dead-letter files under {@code dlqDir}
 * @param provider what a provider source fetches and how, or null for the other sources
 * @param live how a provider source streams ({@code --live}), or null for a backfill and the other sources
 */
public record JobSettings(
        SourceKind source,
        List<Dataset<?>> datasets,
        SyntheticSpec synthetic,
        KafkaSettings kafka,
        JdbcSettings jdbc,
        SinkSettings sink,
        Delivery delivery,
        DeadLetterDestination dlqDestination,
        String dlqDir,
        String dlqKafkaTopic,
        Integer parallelism,
        Duration checkpointInterval,
        String checkpointDir,
        int restartAttempts,
        String jobName,
        Map<String, String> shownParameters,
        ProviderSettings provider,
        LiveSettings live) {

    /** Environment variable holding the database password. */
    public static final String PASSWORD_ENV = "MDS_JDBC_PASSWORD";

    public JobSettings {
        checkArgument(!datasets.isEmpty(), "--datasets must name at least one data set");
        datasets = List.copyOf(datasets);
        checkArgument(source != SourceKind.KAFKA || kafka != null, "--kafka-bootstrap is required with --source kafka");
        checkArgument(source.isProvider() == (provider != null), "provider settings go with a provider source");
        if (source.isProvider()) {
            List<String> served = ProviderInput.datasets(source);
            List<String> asked = datasets.stream().map(Dataset::name).toList();
            checkArgument(
                    served.containsAll(asked),
                    "--source %s serves --datasets %s only, not %s",
                    source.name().toLowerCase(),
                    String.join(",", served),
                    String.join(
                            ",", asked.stream().filter(d -> !served.contains(d)).toList()));
        }
        checkArgument(live == null || source.isProvider(), "--live goes with --source polygon, alpaca or ibkr");
        checkArgument(
                live == null || datasets.equals(List.of(Dataset.BARS)), "--live streams bars only: --datasets bars");
        checkArgument(dlqKafkaTopic == null || kafka != null, "--kafka-bootstrap is required with --dlq-kafka-topic");
        checkArgument(parallelism == null || parallelism > 0, "--parallelism must be positive, got %s", parallelism);
        checkArgument(restartAttempts >= 0, "--restart-attempts must be 0 or more, got %s", restartAttempts);
        checkArgument(
                !checkpointInterval.isNegative() && checkpointInterval.toMillis() >= 10,
                "--checkpoint-interval must be at least 10ms, got %s",
                checkpointInterval);
    }

    /**
     * The database options ({@code --jdbc-url}, {@code --jdbc-user}, {@code --jdbc-password-file}) and the
     * password from the environment, as connection settings; the other tools of the job use them too.
     */
    public static JdbcSettings jdbc(ReadableConfig options, Map<String, String> environment) {
        String url =
                options.getOptional(JDBC_URL).orElseThrow(() -> new IllegalArgumentException("--jdbc-url is required"));
        return new JdbcSettings(
                url,
                options.getOptional(JDBC_USER).orElse(url.contains("user=") ? null : "postgres"),
                password(options, environment));
    }

    /**
     * Settings from parsed options and the process environment (for the password).
     *
     * @throws IllegalArgumentException naming the option that is missing or wrong
     */
    public static JobSettings from(ReadableConfig options, Map<String, String> environment) {
        JdbcSettings jdbc = jdbc(options, environment);
        Instant start;
        try {
            start = Instant.parse(options.get(START));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--start must be an RFC 3339 UTC time, got " + options.get(START));
        }
        SyntheticSpec synthetic = new SyntheticSpec(
                options.get(SYMBOLS),
                options.getOptional(BARS_PER_SYMBOL)
                        .map(JobSettings::positiveBars)
                        .orElse(0L),
                nonNegativeRate(options.get(RATE)),
                options.get(INVALID_EVERY),
                options.get(SEED),
                start);
        SourceKind source = options.get(SOURCE);
        String dlqKafkaTopic = options.getOptional(DLQ_KAFKA_TOPIC).orElse(null);
        KafkaSettings kafka = options.getOptional(KAFKA_BOOTSTRAP).isPresent() ? kafka(options) : null;
        return new JobSettings(
                source,
                datasets(options.get(DATASETS)),
                synthetic,
                kafka,
                jdbc,
                new SinkSettings(
                        options.get(SINK_BATCH_MAX_ROWS),
                        options.get(SINK_BATCH_MAX_DELAY),
                        new RetryPolicy(
                                options.get(MarketDataOptions.SINK_RETRY_BUDGET),
                                options.get(MarketDataOptions.SINK_RETRY_INITIAL_BACKOFF),
                                options.get(MarketDataOptions.SINK_RETRY_MAX_BACKOFF)),
                        new BreakerSettings(
                                options.get(MarketDataOptions.SINK_BREAKER_FAILURES),
                                options.get(MarketDataOptions.SINK_BREAKER_COOL_DOWN)),
                        options.get(MarketDataOptions.SINK_TRANSACTION_LOG)),
                options.get(MarketDataOptions.DELIVERY),
                options.get(MarketDataOptions.DLQ_DESTINATION),
                options.get(DLQ_DIR),
                dlqKafkaTopic,
                options.getOptional(PARALLELISM).orElse(null),
                options.get(CHECKPOINT_INTERVAL),
                options.getOptional(MarketDataOptions.CHECKPOINT_DIR).orElse(null),
                options.get(MarketDataOptions.RESTART_ATTEMPTS),
                options.get(JOB_NAME),
                shown(options),
                source.isProvider() ? ProviderInput.settings(source, options, environment) : null,
                options.get(ProviderOptions.LIVE) ? ProviderInput.liveSettings(source, options) : null);
    }

    /** Whether the job finishes by itself: a bounded synthetic run, a bounded Kafka run, or a provider backfill. */
    public boolean bounded() {
        if (source.isProvider()) {
            return live == null;
        }
        return source == SourceKind.KAFKA ? kafka.bounded() : synthetic.bounded();
    }

    /** Kafka transactional ids of the dead-letter producer start with this: one prefix per job on a cluster. */
    public String dlqTransactionalIdPrefix() {
        return jobName + "-dead-letters";
    }

    /** Where dead letters go: the side output's, and (see {@link DeadLetterRoute#refusedRows}) the sinks'. */
    public DeadLetterRoute deadLetters() {
        DeadLetterRoute.ForRefusedRows local =
                switch (dlqDestination) {
                    case FILES -> DeadLetterRoute.files(dlqDir);
                    case TABLE -> new DeadLetterRoute.Table();
                };
        return dlqKafkaTopic == null ? (DeadLetterRoute) local : new DeadLetterRoute.Kafka(dlqKafkaTopic, local);
    }

    /**
     * The Flink configuration of the job: no Kryo, no generated operator ids, exactly-once checkpoints, restarts
     * with exponential back-off, and the options shown as job parameters in the web UI.
     */
    public Configuration flinkConfiguration() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.NAME, jobName);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        conf.set(PipelineOptions.GLOBAL_JOB_PARAMETERS, shownParameters);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        if (checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, DeadLetterFiles.toUri(checkpointDir));
        }
        if (restartAttempts == 0) {
            // Flink's exponential-delay strategy wants at least one attempt; none means none.
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        } else {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, restartAttempts);
        }
        if (parallelism != null) {
            conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        }
        return conf;
    }

    /** The data sets named in a comma-separated list, in {@link Dataset#ALL}'s order. */
    private static List<Dataset<?>> datasets(String list) {
        List<String> names =
                Arrays.stream(list.split(",", -1)).map(String::trim).toList();
        List<String> known = Dataset.ALL.stream().map(Dataset::name).toList();
        for (String name : names) {
            checkArgument(
                    known.contains(name),
                    "--datasets: unknown data set '%s'; choose from %s",
                    name,
                    String.join(", ", known));
        }
        checkArgument(names.stream().distinct().count() == names.size(), "--datasets names a data set twice: %s", list);
        return Dataset.ALL.stream().filter(d -> names.contains(d.name())).toList();
    }

    private static KafkaSettings kafka(ReadableConfig options) {
        Properties properties = new Properties();
        if (options.getOptional(KAFKA_PROPERTIES_FILE).isPresent()) {
            Path file = Path.of(options.get(KAFKA_PROPERTIES_FILE));
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            } catch (IOException e) {
                throw OptionFiles.unreadable("--kafka-properties-file", file, e);
            }
        }
        Map<String, String> topics = new LinkedHashMap<>();
        for (Dataset<?> dataset : Dataset.ALL) {
            topics.put(dataset.name(), options.get(dataset.topicOption()));
        }
        return new KafkaSettings(
                options.get(KAFKA_BOOTSTRAP),
                options.get(KAFKA_GROUP),
                options.get(KAFKA_STARTING_OFFSETS),
                options.get(KAFKA_BOUNDED),
                topics,
                properties);
    }

    /** {@code --help} promises 0 for no cap; a negative rate is a typo, not a wish for no cap. */
    private static double nonNegativeRate(double rate) {
        checkArgument(rate >= 0 && !Double.isNaN(rate), "--rate must be 0 (no cap) or more, got %s", rate);
        return rate;
    }

    private static long positiveBars(long bars) {
        checkArgument(bars > 0, "--bars-per-symbol must be positive (leave it out for an unbounded run), got %s", bars);
        return bars;
    }

    private static Secret password(ReadableConfig options, Map<String, String> environment) {
        if (options.getOptional(JDBC_PASSWORD_FILE).isPresent()) {
            Path file = Path.of(options.get(JDBC_PASSWORD_FILE));
            try {
                List<String> lines = Files.readAllLines(file);
                checkArgument(!lines.isEmpty() && !lines.get(0).isEmpty(), "--jdbc-password-file %s is empty", file);
                return new Secret(lines.get(0));
            } catch (IOException e) {
                throw OptionFiles.unreadable("--jdbc-password-file", file, e);
            }
        }
        String fromEnvironment = environment.get(PASSWORD_ENV);
        return fromEnvironment == null || fromEnvironment.isEmpty() ? null : new Secret(fromEnvironment);
    }

    private static <T> Optional<T> effective(ReadableConfig options, ConfigOption<T> option) {
        return options.getOptional(option)
                .or(() -> option.hasDefaultValue() ? Optional.of(option.defaultValue()) : Optional.empty());
    }

    /** Every option's effective value, for the web UI; the URL with any password masked. */
    private static Map<String, String> shown(ReadableConfig options) {
        Map<String, String> shown = new LinkedHashMap<>();
        for (Flag flag : MarketDataOptions.ALL) {
            effective(options, flag.option())
                    .ifPresent(value -> shown.put(flag.option().key(), CommandLine.show(value)));
        }
        shown.computeIfPresent(JDBC_URL.key(), (k, url) -> JdbcSettings.redact(url));
        return Collections.unmodifiableMap(shown);
    }
}
