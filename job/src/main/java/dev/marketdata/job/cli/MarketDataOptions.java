package dev.marketdata.job.cli;

import static dev.marketdata.job.provider.ProviderOptions.ALPACA_FEED;
import static dev.marketdata.job.provider.ProviderOptions.ALPACA_KEY_FILE;
import static dev.marketdata.job.provider.ProviderOptions.ALPACA_OPTIONS_FEED;
import static dev.marketdata.job.provider.ProviderOptions.ALPACA_TRADING_URL;
import static dev.marketdata.job.provider.ProviderOptions.ALPACA_URL;
import static dev.marketdata.job.provider.ProviderOptions.ALPACA_WS_URL;
import static dev.marketdata.job.provider.ProviderOptions.FROM;
import static dev.marketdata.job.provider.ProviderOptions.IBKR_TRUST_SELF_SIGNED;
import static dev.marketdata.job.provider.ProviderOptions.IBKR_URL;
import static dev.marketdata.job.provider.ProviderOptions.IBKR_WS_URL;
import static dev.marketdata.job.provider.ProviderOptions.LIVE;
import static dev.marketdata.job.provider.ProviderOptions.LIVE_ACK_TIMEOUT;
import static dev.marketdata.job.provider.ProviderOptions.LIVE_BUFFER;
import static dev.marketdata.job.provider.ProviderOptions.LIVE_CONNECTION_LIMIT_BACKOFF;
import static dev.marketdata.job.provider.ProviderOptions.LIVE_DATA_TIMEOUT;
import static dev.marketdata.job.provider.ProviderOptions.LIVE_HEARTBEAT;
import static dev.marketdata.job.provider.ProviderOptions.LIVE_PROVISIONAL;
import static dev.marketdata.job.provider.ProviderOptions.LIVE_RECONNECT_INITIAL_BACKOFF;
import static dev.marketdata.job.provider.ProviderOptions.LIVE_RECONNECT_MAX_BACKOFF;
import static dev.marketdata.job.provider.ProviderOptions.LIVE_RENEWAL;
import static dev.marketdata.job.provider.ProviderOptions.LIVE_WATCHDOG_OUTSIDE_SESSIONS;
import static dev.marketdata.job.provider.ProviderOptions.OVERFLOW;
import static dev.marketdata.job.provider.ProviderOptions.POLYGON_KEY_FILE;
import static dev.marketdata.job.provider.ProviderOptions.POLYGON_URL;
import static dev.marketdata.job.provider.ProviderOptions.POLYGON_WS_URL;
import static dev.marketdata.job.provider.ProviderOptions.PROVIDER_CONNECT_TIMEOUT;
import static dev.marketdata.job.provider.ProviderOptions.PROVIDER_EMPTY_RETRIES;
import static dev.marketdata.job.provider.ProviderOptions.PROVIDER_REQUEST_TIMEOUT;
import static dev.marketdata.job.provider.ProviderOptions.PROVIDER_RETRY_BUDGET;
import static dev.marketdata.job.provider.ProviderOptions.PROVIDER_RETRY_INITIAL_BACKOFF;
import static dev.marketdata.job.provider.ProviderOptions.PROVIDER_RETRY_MAX_BACKOFF;
import static dev.marketdata.job.provider.ProviderOptions.REQUESTS_PER_MINUTE;
import static dev.marketdata.job.provider.ProviderOptions.TICKERS;
import static dev.marketdata.job.provider.ProviderOptions.TICKERS_FILE;
import static dev.marketdata.job.provider.ProviderOptions.TIMEFRAME;
import static dev.marketdata.job.provider.ProviderOptions.TO;
import static org.apache.flink.configuration.ConfigOptions.key;

import dev.marketdata.job.core.Delivery;
import dev.marketdata.job.core.SourceKind;
import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.job.dlq.DeadLetterDestination;
import dev.marketdata.job.kafka.KafkaSettings.StartingOffsets;
import dev.marketdata.job.sink.config.TransactionLogStore;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;

/**
 * Every option of the job, as typed Flink options whose keys are the command-line flags; the provider sources' own
 * options live in {@link dev.marketdata.job.provider.ProviderOptions}, {@link #ALL} lists them all. Keys are part of
 * the public interface (scripts and benchmarks use them): never rename one.
 */
public final class MarketDataOptions {

    private MarketDataOptions() {}

    /** An option with its section and the placeholder {@code --help} shows for its value. */
    public record Flag(String section, ConfigOption<?> option, String metavar) {}

    // ---- source ----

    public static final ConfigOption<SourceKind> SOURCE = key("source")
            .enumType(SourceKind.class)
            .defaultValue(SourceKind.SYNTHETIC)
            .withDescription("Where records come from. synthetic: a seeded, deterministic market (a random walk "
                    + "of 1-minute bars, option chains around it, quarterly fundamentals, news). kafka: one topic per "
                    + "data set, JSON values (see --kafka-*). polygon, alpaca, ibkr: a bounded backfill of the "
                    + "provider's historical bars (--tickers, --from, --to; see docs/providers.md), or with --live "
                    + "its live stream (docs/live-streams.md).");

    public static final ConfigOption<String> DATASETS = key("datasets")
            .stringType()
            .defaultValue("bars")
            .withDescription("The data sets the job carries, comma-separated: bars, options, fundamentals, news. "
                    + "Each has its own source (or topic), validation, table and dead-letter folder. Provider "
                    + "sources serve: polygon bars,options,fundamentals,news; alpaca bars,options,news; ibkr bars "
                    + "(others are refused at start).");

    public static final ConfigOption<Integer> SYMBOLS = key("symbols")
            .intType()
            .defaultValue(10)
            .withDescription("Synthetic source: number of symbols (SYN0000, SYN0001, ...), spread over the readers.");

    public static final ConfigOption<Long> BARS_PER_SYMBOL = key("bars-per-symbol")
            .longType()
            .noDefaultValue()
            .withDescription("Synthetic source: bars per symbol, i.e. steps (minutes) per symbol; each step also "
                    + "gives a snapshot of the option chain (20 quotes), a fiscal quarter of fundamentals (with the "
                    + "year after its fourth quarter and the trailing twelve months) and, one time in four, a news "
                    + "article. When given the source is bounded and the job finishes after the last step; when "
                    + "absent it runs until stopped.");

    public static final ConfigOption<Double> RATE = key("rate")
            .doubleType()
            .defaultValue(1000.0)
            .withDescription(
                    "Synthetic source: cap on records per second over all readers, per data set; 0 for " + "no cap.");

    public static final ConfigOption<Long> INVALID_EVERY = key("invalid-every")
            .longType()
            .defaultValue(0L)
            .withDescription("Synthetic source: make every K-th record of each data set (counted over all symbols, "
                    + "minute by minute) invalid, to see the dead-letter queue at work; 0 for none.");

    public static final ConfigOption<Long> SEED = key("seed")
            .longType()
            .defaultValue(42L)
            .withDescription("Synthetic source: seed of the random walk; the same seed gives the same records.");

    public static final ConfigOption<String> START = key("start")
            .stringType()
            .defaultValue("2024-01-02T14:30:00Z")
            .withDescription("Synthetic source: start of the first bar (RFC 3339, a whole minute).");

    // ---- kafka ----

    public static final ConfigOption<String> KAFKA_BOOTSTRAP = key("kafka-bootstrap")
            .stringType()
            .noDefaultValue()
            .withDescription("Kafka bootstrap servers, e.g. broker1:9092,broker2:9092. Required with --source kafka "
                    + "and with --dlq-kafka-topic.");

    public static final ConfigOption<String> KAFKA_GROUP = key("kafka-group")
            .stringType()
            .defaultValue("market-data-store")
            .withDescription("Kafka consumer group. The job's position lives in its checkpoints; it also commits "
                    + "offsets to this group on every checkpoint, for lag monitoring and for "
                    + "--kafka-starting-offsets committed.");

    public static final ConfigOption<StartingOffsets> KAFKA_STARTING_OFFSETS = key("kafka-starting-offsets")
            .enumType(StartingOffsets.class)
            .defaultValue(StartingOffsets.COMMITTED)
            .withDescription("Where a job that restores no checkpoint starts reading: earliest, latest, or committed "
                    + "(the group's offsets; earliest where it has none). A restored job continues from its "
                    + "checkpoint.");

    public static final ConfigOption<Boolean> KAFKA_BOUNDED = key("kafka-bounded")
            .booleanType()
            .defaultValue(false)
            .withDescription("Stop at the offsets that were latest when the job started, then finish (backfills, "
                    + "tests); bin/run-local then exits 0. A flag: --kafka-bounded alone means true.");

    /** One {@code --kafka-topic-<data set>} per data set, in {@link Dataset#ALL}'s order. */
    public static final List<ConfigOption<String>> KAFKA_TOPICS =
            Dataset.ALL.stream().map(Dataset::topicOption).toList();

    public static final ConfigOption<String> KAFKA_PROPERTIES_FILE = key("kafka-properties-file")
            .stringType()
            .noDefaultValue()
            .withDescription("A Java properties file of Kafka client settings for the consumers and the dead-letter "
                    + "producer (security.protocol, sasl.jaas.config, ssl.*, ...): credentials stay off the command "
                    + "line and out of the web UI.");

    // ---- database ----

    public static final ConfigOption<String> JDBC_URL = key("jdbc-url")
            .stringType()
            .noDefaultValue()
            .withDescription("PostgreSQL JDBC URL, e.g. jdbc:postgresql://db:5432/marketdata. Required with "
                    + "flink run; bin/run-local uses 127.0.0.1:5432 or starts a private server when absent.");

    public static final ConfigOption<String> JDBC_USER = key("jdbc-user")
            .stringType()
            .noDefaultValue()
            .withDescription("Database role; defaults to the URL's user parameter, else postgres.");

    public static final ConfigOption<String> JDBC_PASSWORD_FILE = key("jdbc-password-file")
            .stringType()
            .noDefaultValue()
            .withDescription("File whose first line is the database password. Without it the password comes "
                    + "from the environment variable " + JobSettings.PASSWORD_ENV + ", if set. There is no "
                    + "password flag: a command line is visible to every user of the machine.");

    // ---- sink ----

    public static final ConfigOption<Delivery> DELIVERY = key("delivery")
            .enumType(Delivery.class)
            .defaultValue(Delivery.EXACTLY_ONCE)
            .withDescription("exactly-once: each checkpoint's rows are one prepared transaction per writer, "
                    + "committed when the checkpoint completes (needs max_prepared_transactions > 0 on the "
                    + "server; transactions are named after --job-name). at-least-once: batches are committed as "
                    + "written and replays land idempotently on their keys.");

    public static final ConfigOption<Integer> SINK_BATCH_MAX_ROWS = key("sink.batch.max-rows")
            .intType()
            .defaultValue(5000)
            .withDescription("A batch is written once it holds this many distinct rows.");

    public static final ConfigOption<Duration> SINK_BATCH_MAX_DELAY = key("sink.batch.max-delay")
            .durationType()
            .defaultValue(Duration.ofMillis(500))
            .withDescription("... or once its oldest row has waited this long.");

    public static final ConfigOption<TransactionLogStore> SINK_TRANSACTION_LOG = key("sink.transaction-log")
            .enumType(TransactionLogStore.class)
            .defaultValue(TransactionLogStore.DISK)
            .withDescription("Exactly-once only: where each writer keeps what its open transaction wrote since the "
                    + "last checkpoint, to write it again if the connection drops. disk: an unlinked file in "
                    + "java.io.tmpdir (the heap holds a few bytes a batch); heap: the COPY streams in memory, about "
                    + "100 bytes a bar for one checkpoint interval.");

    public static final ConfigOption<Duration> SINK_RETRY_BUDGET = key("sink.retry.budget")
            .durationType()
            .defaultValue(Duration.ofMinutes(2))
            .withDescription("How long one database operation (a batch, a prepare, a commit) may keep failing with "
                    + "transient errors (lost connection, server shutting down, deadlock, lock timeout, ...) before "
                    + "the task fails and Flink restarts the job from its last checkpoint.");

    public static final ConfigOption<Duration> SINK_RETRY_INITIAL_BACKOFF = key("sink.retry.initial-backoff")
            .durationType()
            .defaultValue(Duration.ofMillis(100))
            .withDescription("Wait before the first retry; each further retry waits twice as long (half of it "
                    + "random), up to sink.retry.max-backoff.");

    public static final ConfigOption<Duration> SINK_RETRY_MAX_BACKOFF = key("sink.retry.max-backoff")
            .durationType()
            .defaultValue(Duration.ofSeconds(5))
            .withDescription("Longest wait between two retries.");

    public static final ConfigOption<Integer> SINK_BREAKER_FAILURES = key("sink.breaker.failures")
            .intType()
            .defaultValue(5)
            .withDescription("Consecutive failed attempts that open a sink subtask's circuit breaker: while open, "
                    + "no attempt reaches the database and the sources are held back by backpressure.");

    public static final ConfigOption<Duration> SINK_BREAKER_COOL_DOWN = key("sink.breaker.cool-down")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("How long an open circuit breaker waits before it lets one probe through (half-open); "
                    + "a successful probe closes it, a failed one opens it again.");

    // ---- dead-letter queue ----

    public static final ConfigOption<DeadLetterDestination> DLQ_DESTINATION = key("dlq-destination")
            .enumType(DeadLetterDestination.class)
            .defaultValue(DeadLetterDestination.FILES)
            .withDescription("Where dead letters go. files: NDJSON files under --dlq-dir. table: the dead_letters "
                    + "table of the job's database, rows the table refused in the same transaction as their batch.");

    public static final ConfigOption<String> DLQ_DIR = key("dlq-dir")
            .stringType()
            .defaultValue("dlq")
            .withDescription("Directory (or file system URI) of the dead-letter queue's NDJSON files, one "
                    + "folder per data set.");

    public static final ConfigOption<String> DLQ_KAFKA_TOPIC = key("dlq-kafka-topic")
            .stringType()
            .noDefaultValue()
            .withDescription("Send dead letters to this Kafka topic (on --kafka-bootstrap) instead of files: one "
                    + "record per dead letter, keyed by data set. With --delivery exactly-once they are written in "
                    + "Kafka transactions committed with each checkpoint (read the topic with "
                    + "isolation.level=read_committed).");

    // ---- job ----

    public static final ConfigOption<Integer> PARALLELISM = key("parallelism")
            .intType()
            .noDefaultValue()
            .withDescription("Parallelism of every operator; defaults to the cluster's (bin/run-local: 2).");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = key("checkpoint-interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("Time between checkpoints, e.g. 5s. Each checkpoint first writes every buffered row, and "
                    + "publishes the dead-letter files written since the last one.");

    public static final ConfigOption<String> CHECKPOINT_DIR = key("checkpoint-dir")
            .stringType()
            .noDefaultValue()
            .withDescription("Directory (or file system URI) for checkpoints, which are kept when the job is "
                    + "cancelled or fails. Defaults to the cluster's; bin/run-local: .mds/checkpoints.");

    public static final ConfigOption<String> RESTORE = key("restore")
            .stringType()
            .noDefaultValue()
            .withDescription("bin/run-local: resume from this retained checkpoint or savepoint (its directory or "
                    + "_metadata file), or 'latest': the newest complete checkpoint under --checkpoint-dir. With "
                    + "flink run, use its -s option instead.");

    public static final ConfigOption<Boolean> DISCARD_PREPARED_TRANSACTIONS = key("discard-prepared-transactions")
            .booleanType()
            .defaultValue(false)
            .withDescription("On a start without --restore (or flink run -s): roll back the prepared transactions an "
                    + "earlier run of this job (same --job-name and database) left uncommitted, then start afresh. "
                    + "Their rows are lost: a completed checkpoint of that run may cover them, its source positions "
                    + "(Kafka offsets) already past them. Without this flag such a start refuses to run; --restore "
                    + "latest commits them instead. A flag: --discard-prepared-transactions alone means true.");

    public static final ConfigOption<Integer> RESTART_ATTEMPTS = key("restart-attempts")
            .intType()
            .defaultValue(10)
            .withDescription("Restarts (with exponential back-off, each from the last checkpoint) before the job "
                    + "is declared failed; the count starts again after an hour without failure.");

    public static final ConfigOption<String> JOB_NAME = key("job-name")
            .stringType()
            .defaultValue("market-data-store")
            .withDescription("Name of the job in the web UI and in metric labels.");

    // ---- bin/run-local ----

    public static final ConfigOption<Integer> WEB_PORT = key("web-port")
            .intType()
            .defaultValue(8081)
            .withDescription("bin/run-local: port of the Flink web UI and REST API.");

    public static final ConfigOption<Integer> METRICS_PORT = key("metrics-port")
            .intType()
            .defaultValue(9249)
            .withDescription("bin/run-local: port of the Prometheus metrics endpoint (/metrics).");

    public static final List<Flag> ALL = Stream.of(
                    List.of(
                            new Flag("Source", SOURCE, "synthetic|kafka|polygon|alpaca|ibkr"),
                            new Flag("Source", DATASETS, "LIST"),
                            new Flag("Source", SYMBOLS, "N"),
                            new Flag("Source", BARS_PER_SYMBOL, "M"),
                            new Flag("Source", RATE, "R"),
                            new Flag("Source", INVALID_EVERY, "K"),
                            new Flag("Source", SEED, "N"),
                            new Flag("Source", START, "TIME"),
                            new Flag("Providers", TICKERS, "LIST"),
                            new Flag("Providers", TICKERS_FILE, "FILE"),
                            new Flag("Providers", FROM, "DATE|TIME"),
                            new Flag("Providers", TO, "DATE|TIME"),
                            new Flag("Providers", TIMEFRAME, "1m|5m|15m|30m|1h|1d"),
                            new Flag("Providers", POLYGON_URL, "URL"),
                            new Flag("Providers", POLYGON_KEY_FILE, "FILE"),
                            new Flag("Providers", ALPACA_URL, "URL"),
                            new Flag("Providers", ALPACA_TRADING_URL, "URL"),
                            new Flag("Providers", ALPACA_KEY_FILE, "FILE"),
                            new Flag("Providers", ALPACA_FEED, "iex|sip"),
                            new Flag("Providers", ALPACA_OPTIONS_FEED, "opra|indicative"),
                            new Flag("Providers", IBKR_URL, "URL"),
                            new Flag("Providers", IBKR_TRUST_SELF_SIGNED, ""),
                            new Flag("Providers", REQUESTS_PER_MINUTE, "N"),
                            new Flag("Providers", PROVIDER_RETRY_BUDGET, "DURATION"),
                            new Flag("Providers", PROVIDER_RETRY_INITIAL_BACKOFF, "DURATION"),
                            new Flag("Providers", PROVIDER_RETRY_MAX_BACKOFF, "DURATION"),
                            new Flag("Providers", PROVIDER_CONNECT_TIMEOUT, "DURATION"),
                            new Flag("Providers", PROVIDER_REQUEST_TIMEOUT, "DURATION"),
                            new Flag("Providers", PROVIDER_EMPTY_RETRIES, "N"),
                            new Flag("Live streams", LIVE, ""),
                            new Flag("Live streams", OVERFLOW, "block|drop-oldest|fail"),
                            new Flag("Live streams", LIVE_BUFFER, "N"),
                            new Flag("Live streams", POLYGON_WS_URL, "URL"),
                            new Flag("Live streams", ALPACA_WS_URL, "URL"),
                            new Flag("Live streams", IBKR_WS_URL, "URL"),
                            new Flag("Live streams", LIVE_RECONNECT_INITIAL_BACKOFF, "DURATION"),
                            new Flag("Live streams", LIVE_RECONNECT_MAX_BACKOFF, "DURATION"),
                            new Flag("Live streams", LIVE_CONNECTION_LIMIT_BACKOFF, "DURATION"),
                            new Flag("Live streams", LIVE_DATA_TIMEOUT, "DURATION"),
                            new Flag("Live streams", LIVE_WATCHDOG_OUTSIDE_SESSIONS, ""),
                            new Flag("Live streams", LIVE_HEARTBEAT, "DURATION"),
                            new Flag("Live streams", LIVE_ACK_TIMEOUT, "DURATION"),
                            new Flag("Live streams", LIVE_PROVISIONAL, "DURATION"),
                            new Flag("Live streams", LIVE_RENEWAL, "DURATION"),
                            new Flag("Kafka", KAFKA_BOOTSTRAP, "HOSTS"),
                            new Flag("Kafka", KAFKA_GROUP, "GROUP"),
                            new Flag("Kafka", KAFKA_STARTING_OFFSETS, "earliest|latest|committed"),
                            new Flag("Kafka", KAFKA_BOUNDED, "")),
                    KAFKA_TOPICS.stream()
                            .map(topic -> new Flag("Kafka", topic, "TOPIC"))
                            .toList(),
                    List.of(
                            new Flag("Kafka", KAFKA_PROPERTIES_FILE, "FILE"),
                            new Flag("Database", JDBC_URL, "URL"),
                            new Flag("Database", JDBC_USER, "ROLE"),
                            new Flag("Database", JDBC_PASSWORD_FILE, "FILE"),
                            new Flag("Sink", DELIVERY, "exactly-once|at-least-once"),
                            new Flag("Sink", SINK_BATCH_MAX_ROWS, "N"),
                            new Flag("Sink", SINK_BATCH_MAX_DELAY, "DURATION"),
                            new Flag("Sink", SINK_TRANSACTION_LOG, "disk|heap"),
                            new Flag("Sink", SINK_RETRY_BUDGET, "DURATION"),
                            new Flag("Sink", SINK_RETRY_INITIAL_BACKOFF, "DURATION"),
                            new Flag("Sink", SINK_RETRY_MAX_BACKOFF, "DURATION"),
                            new Flag("Sink", SINK_BREAKER_FAILURES, "N"),
                            new Flag("Sink", SINK_BREAKER_COOL_DOWN, "DURATION"),
                            new Flag("Dead-letter queue", DLQ_DESTINATION, "files|table"),
                            new Flag("Dead-letter queue", DLQ_DIR, "DIR"),
                            new Flag("Dead-letter queue", DLQ_KAFKA_TOPIC, "TOPIC"),
                            new Flag("Job", PARALLELISM, "P"),
                            new Flag("Job", CHECKPOINT_INTERVAL, "DURATION"),
                            new Flag("Job", CHECKPOINT_DIR, "DIR"),
                            new Flag("Job", RESTORE, "PATH|latest"),
                            new Flag("Job", DISCARD_PREPARED_TRANSACTIONS, ""),
                            new Flag("Job", RESTART_ATTEMPTS, "N"),
                            new Flag("Job", JOB_NAME, "NAME"),
                            new Flag("bin/run-local", WEB_PORT, "PORT"),
                            new Flag("bin/run-local", METRICS_PORT, "PORT")))
            .flatMap(List::stream)
            .toList();
}
