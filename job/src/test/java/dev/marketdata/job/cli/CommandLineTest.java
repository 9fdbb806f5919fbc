package dev.marketdata.job.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.job.cli.MarketDataOptions.Flag;
import dev.marketdata.job.core.Delivery;
import dev.marketdata.job.core.SourceKind;
import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.job.dlq.DeadLetterDestination;
import dev.marketdata.job.dlq.DeadLetterRoute;
import dev.marketdata.job.kafka.KafkaSettings;
import dev.marketdata.job.replay.ReplayOptions;
import dev.marketdata.job.sink.config.BreakerSettings;
import dev.marketdata.job.sink.config.RetryPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {

    private static Configuration parse(String... args) {
        return CommandLine.parse(args, MarketDataOptions.ALL);
    }

    @Test
    void parsesTheIssuesFlags() {
        Configuration conf = parse(
                "--source",
                "synthetic",
                "--symbols",
                "50",
                "--bars-per-symbol",
                "200",
                "--rate=500",
                "--invalid-every",
                "100",
                "--jdbc-url",
                "jdbc:postgresql://db/md",
                "--dlq-dir",
                "/tmp/d",
                "--parallelism",
                "3",
                "--checkpoint-interval",
                "5s");
        JobSettings settings = JobSettings.from(conf, Map.of());
        assertThat(settings.synthetic().symbols()).isEqualTo(50);
        assertThat(settings.synthetic().stepsPerSymbol()).isEqualTo(200);
        assertThat(settings.synthetic().recordsPerSecond()).isEqualTo(500.0);
        assertThat(settings.synthetic().invalidEvery()).isEqualTo(100);
        assertThat(settings.dlqDir()).isEqualTo("/tmp/d");
        assertThat(settings.parallelism()).isEqualTo(3);
        assertThat(settings.checkpointInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.jdbc().user()).isEqualTo("postgres");
        assertThat(settings.delivery()).isEqualTo(Delivery.EXACTLY_ONCE);
        assertThat(JobSettings.from(
                                parse("--jdbc-url", "jdbc:postgresql://db/md", "--delivery", "at-least-once"), Map.of())
                        .delivery())
                .isEqualTo(Delivery.AT_LEAST_ONCE);
        assertThatThrownBy(() -> parse("--delivery", "maybe")).hasMessageStartingWith("--delivery: cannot use 'maybe'");
    }

    @Test
    void parsesTheFaultToleranceOptions() {
        JobSettings defaults = JobSettings.from(parse("--jdbc-url", "jdbc:postgresql://db/md"), Map.of());
        assertThat(defaults.sink().retry()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(defaults.sink().retry())
                .isEqualTo(new RetryPolicy(Duration.ofMinutes(2), Duration.ofMillis(100), Duration.ofSeconds(5)));
        assertThat(defaults.sink().breaker()).isEqualTo(new BreakerSettings(5, Duration.ofSeconds(10)));
        assertThat(defaults.dlqDestination()).isEqualTo(DeadLetterDestination.FILES);

        JobSettings settings = JobSettings.from(
                parse(
                        "--jdbc-url",
                        "jdbc:postgresql://db/md",
                        "--sink.retry.budget",
                        "30s",
                        "--sink.retry.initial-backoff",
                        "50ms",
                        "--sink.retry.max-backoff",
                        "2s",
                        "--sink.breaker.failures",
                        "3",
                        "--sink.breaker.cool-down",
                        "1min",
                        "--dlq-destination",
                        "table"),
                Map.of());
        assertThat(settings.sink().retry())
                .isEqualTo(new RetryPolicy(Duration.ofSeconds(30), Duration.ofMillis(50), Duration.ofSeconds(2)));
        assertThat(settings.sink().breaker()).isEqualTo(new BreakerSettings(3, Duration.ofMinutes(1)));
        assertThat(settings.deadLetters()).isEqualTo(new DeadLetterRoute.Table());

        assertThatThrownBy(() -> parse("--dlq-destination", "kafka"))
                .hasMessageStartingWith("--dlq-destination: cannot use 'kafka'");
        assertThatThrownBy(() -> JobSettings.from(
                        parse("--jdbc-url", "jdbc:postgresql://db/md", "--sink.breaker.failures", "0"), Map.of()))
                .hasMessage("sink.breaker.failures must be at least 1, got 0");
        assertThatThrownBy(() -> JobSettings.from(
                        parse("--jdbc-url", "jdbc:postgresql://db/md", "--sink.retry.initial-backoff", "10s"),
                        Map.of()))
                .hasMessage("sink.retry.max-backoff (PT5S) must not be below sink.retry.initial-backoff (PT10S)");
        assertThatThrownBy(() ->
                        JobSettings.from(parse("--jdbc-url", "jdbc:postgresql://db/md", "--rate", "-5"), Map.of()))
                .hasMessage("--rate must be 0 (no cap) or more, got -5.0");
    }

    @Test
    void noRestartAttemptsMeansNoRestartStrategyRetries() {
        Configuration flink = JobSettings.from(
                        parse("--jdbc-url", "jdbc:postgresql://db/md", "--restart-attempts", "0"), Map.of())
                .flinkConfiguration();
        assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("none");
    }

    @Test
    void aBooleanOptionThatIsOffByDefaultMayStandAlone() {
        List<Flag> flags = List.of(new Flag("x", ReplayOptions.DRY_RUN, ""), new Flag("x", ReplayOptions.REASON, "R"));
        assertThat(CommandLine.parse(new String[] {"--dry-run"}, flags).get(ReplayOptions.DRY_RUN))
                .isTrue();
        assertThat(CommandLine.parse(new String[] {"--dry-run", "--reason", "x"}, flags)
                        .get(ReplayOptions.DRY_RUN))
                .isTrue();
        assertThat(CommandLine.parse(new String[] {"--dry-run", "false"}, flags).get(ReplayOptions.DRY_RUN))
                .isFalse();
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--reason"}, flags))
                .hasMessage("--reason needs a value");
    }

    @Test
    void withoutBarsPerSymbolTheSourceIsUnbounded() {
        JobSettings settings = JobSettings.from(parse("--jdbc-url", "jdbc:postgresql://db/md"), Map.of());
        assertThat(settings.synthetic().bounded()).isFalse();
    }

    @Test
    void rejectsUnknownOptionsBadValuesAndPasswordFlags() {
        assertThatThrownBy(() -> parse("--symbolz", "5")).hasMessage("unknown option --symbolz (see --help)");
        assertThatThrownBy(() -> parse("--symbols", "many")).hasMessageStartingWith("--symbols: cannot use 'many'");
        assertThatThrownBy(() -> parse("--symbols")).hasMessage("--symbols needs a value");
        assertThatThrownBy(() -> parse("50")).hasMessageStartingWith("unexpected argument '50'");
        assertThatThrownBy(() -> parse("--jdbc-password", "hunter2"))
                .hasMessageContaining("passwords never go on the command line")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> JobSettings.from(parse(), Map.of())).hasMessage("--jdbc-url is required");
        assertThatThrownBy(() -> JobSettings.from(
                        parse("--jdbc-url", "jdbc:postgresql://db/md", "--bars-per-symbol", "0"), Map.of()))
                .hasMessageStartingWith("--bars-per-symbol must be positive");
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        String help = CommandLine.help("bin/run-local", MarketDataOptions.ALL);
        for (Flag flag : MarketDataOptions.ALL) {
            assertThat(help).contains("--" + flag.option().key() + " " + flag.metavar());
        }
        assertThat(help)
                .contains("--dlq-destination files|table   (default: files)")
                .contains("--sink.retry.budget DURATION   (default: 120s)")
                .contains("--sink.breaker.cool-down DURATION   (default: 10s)");
        // Every option the job reads is one --help lists (a new option left out of ALL fails here).
        List<String> listed =
                MarketDataOptions.ALL.stream().map(flag -> flag.option().key()).toList();
        for (java.lang.reflect.Field field : MarketDataOptions.class.getFields()) {
            if (java.lang.reflect.Modifier.isStatic(field.getModifiers())
                    && field.getType() == org.apache.flink.configuration.ConfigOption.class) {
                try {
                    assertThat(listed)
                            .as(field.getName())
                            .contains(((org.apache.flink.configuration.ConfigOption<?>) field.get(null)).key());
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        assertThat(help)
                .contains("--checkpoint-interval DURATION   (default: 10s)")
                .contains("--rate R   (default: 1000)")
                .contains("--source synthetic|kafka|polygon|alpaca|ibkr   (default: synthetic)")
                .contains("--jdbc-url URL   (default: none)")
                .contains("--delivery exactly-once|at-least-once   (default: exactly-once)");
    }

    @Test
    void thePasswordNeverReachesTheJobParametersOrTheConfiguration(@TempDir Path dir) throws Exception {
        Path passwordFile = dir.resolve("pw");
        Files.writeString(passwordFile, "s3cret-from-file\n");
        JobSettings fromFile = JobSettings.from(
                parse(
                        "--jdbc-url",
                        "jdbc:postgresql://db/md?user=md&password=s3cret-in-url",
                        "--jdbc-password-file",
                        passwordFile.toString()),
                Map.of());
        JobSettings fromEnv = JobSettings.from(
                parse("--jdbc-url", "jdbc:postgresql://db/md"), Map.of(JobSettings.PASSWORD_ENV, "s3cret-from-env"));

        assertThat(fromFile.jdbc().password().reveal()).isEqualTo("s3cret-from-file");
        assertThat(fromEnv.jdbc().password().reveal()).isEqualTo("s3cret-from-env");
        for (JobSettings settings : new JobSettings[] {fromFile, fromEnv}) {
            Configuration flink = settings.flinkConfiguration();
            assertThat(flink.toMap().toString()).doesNotContain("s3cret");
            assertThat(flink.get(PipelineOptions.GLOBAL_JOB_PARAMETERS).toString())
                    .doesNotContain("s3cret");
            assertThat(settings.toString()).doesNotContain("s3cret");
        }
        assertThat(fromFile.shownParameters())
                .containsEntry("jdbc-url", "jdbc:postgresql://db/md?user=md&password=***")
                .containsEntry("symbols", "10");
    }

    @Test
    void datasetsAreChosenByNameAndWiredInTheirFixedOrder() {
        JobSettings settings = JobSettings.from(
                parse("--jdbc-url", "jdbc:postgresql://db/md", "--datasets", "news,bars,options"), Map.of());
        assertThat(settings.datasets()).containsExactly(Dataset.BARS, Dataset.OPTIONS, Dataset.NEWS);
        assertThat(JobSettings.from(parse("--jdbc-url", "jdbc:postgresql://db/md"), Map.of())
                        .datasets())
                .containsExactly(Dataset.BARS);
        assertThat(settings.shownParameters()).containsEntry("datasets", "news,bars,options");
        assertThatThrownBy(() -> JobSettings.from(
                        parse("--jdbc-url", "jdbc:postgresql://db/md", "--datasets", "bars,quotes"), Map.of()))
                .hasMessage("--datasets: unknown data set 'quotes'; choose from bars, options, fundamentals, news");
        assertThatThrownBy(() -> JobSettings.from(
                        parse("--jdbc-url", "jdbc:postgresql://db/md", "--datasets", "bars,bars"), Map.of()))
                .hasMessageStartingWith("--datasets names a data set twice");
    }

    @Test
    void parsesTheKafkaOptions(@TempDir Path dir) throws Exception {
        Path properties = dir.resolve("kafka.properties");
        Files.writeString(properties, "security.protocol=SASL_SSL\nsasl.jaas.config=secret-jaas-line\n");
        JobSettings settings = JobSettings.from(
                parse(
                        "--source",
                        "kafka",
                        "--datasets",
                        "bars,fundamentals",
                        "--kafka-bootstrap",
                        "k1:9092,k2:9092",
                        "--kafka-group",
                        "g1",
                        "--kafka-starting-offsets",
                        "earliest",
                        "--kafka-bounded",
                        "--kafka-topic-fundamentals",
                        "prod.fundamentals",
                        "--kafka-properties-file",
                        properties.toString(),
                        "--dlq-kafka-topic",
                        "md.dlq",
                        "--jdbc-url",
                        "jdbc:postgresql://db/md"),
                Map.of());

        KafkaSettings kafka = settings.kafka();
        assertThat(settings.source()).isEqualTo(SourceKind.KAFKA);
        assertThat(kafka.bootstrapServers()).isEqualTo("k1:9092,k2:9092");
        assertThat(kafka.groupId()).isEqualTo("g1");
        assertThat(kafka.startingOffsets()).isEqualTo(KafkaSettings.StartingOffsets.EARLIEST);
        assertThat(kafka.bounded()).isTrue();
        assertThat(settings.bounded()).isTrue();
        assertThat(kafka.topic("bars")).isEqualTo("md.bars");
        assertThat(kafka.topic("fundamentals")).isEqualTo("prod.fundamentals");
        assertThat(kafka.topic("news")).isEqualTo("md.news");
        assertThat(kafka.clientProperties()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(settings.dlqKafkaTopic()).isEqualTo("md.dlq");
        // The properties may hold credentials: they show nowhere.
        assertThat(settings.shownParameters().toString()).doesNotContain("secret-jaas-line");
        assertThat(settings.flinkConfiguration().toMap().toString()).doesNotContain("secret-jaas-line");
        assertThat(kafka.toString()).doesNotContain("secret-jaas-line");
    }

    @Test
    void kafkaHasSensibleDefaultsAndBoundedIsASwitch() {
        JobSettings settings = JobSettings.from(
                parse("--source", "kafka", "--kafka-bootstrap", "k:9092", "--jdbc-url", "jdbc:postgresql://db/md"),
                Map.of());
        assertThat(settings.kafka().groupId()).isEqualTo("market-data-store");
        assertThat(settings.kafka().startingOffsets()).isEqualTo(KafkaSettings.StartingOffsets.COMMITTED);
        assertThat(settings.kafka().bounded()).isFalse();
        assertThat(settings.bounded()).isFalse();
        assertThat(settings.dlqKafkaTopic()).isNull();
        assertThat(parse("--kafka-bounded", "--symbols", "3").get(MarketDataOptions.KAFKA_BOUNDED))
                .isTrue();
        assertThat(parse("--kafka-bounded=false").get(MarketDataOptions.KAFKA_BOUNDED))
                .isFalse();
        assertThat(parse("--kafka-bounded").get(MarketDataOptions.KAFKA_BOUNDED))
                .isTrue();
        assertThat(CommandLine.help("x", MarketDataOptions.ALL))
                .contains("--kafka-bounded   (default: false)")
                .contains("--kafka-starting-offsets earliest|latest|committed   (default: committed)")
                .contains("--datasets LIST   (default: bars)");
    }

    @Test
    void kafkaNeedsItsBootstrapServers() {
        assertThatThrownBy(() ->
                        JobSettings.from(parse("--source", "kafka", "--jdbc-url", "jdbc:postgresql://db/md"), Map.of()))
                .hasMessage("--kafka-bootstrap is required with --source kafka");
        assertThatThrownBy(() -> JobSettings.from(
                        parse("--dlq-kafka-topic", "dlq", "--jdbc-url", "jdbc:postgresql://db/md"), Map.of()))
                .hasMessage("--kafka-bootstrap is required with --dlq-kafka-topic");
        assertThatThrownBy(() -> parse("--kafka-starting-offsets", "beginning"))
                .hasMessageStartingWith("--kafka-starting-offsets: cannot use 'beginning'");
    }
}
