package dev.marketdata.job.sink.twophase;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.job.dlq.DeadLetterRoute;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.local.FreePorts;
import dev.marketdata.job.local.LocalRunner;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.sink.config.SinkSettings;
import dev.marketdata.job.sink.internal.writer.TwoPhaseCommitWriter;
import dev.marketdata.job.sink.table.BarTable;
import dev.marketdata.job.testing.JobProcess;
import dev.marketdata.job.testing.KafkaBrokerExtension;
import dev.marketdata.job.testing.KafkaTopics;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.job.testing.TestWriterContext;
import dev.marketdata.sources.model.Bar;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.flink.runtime.executiongraph.failover.ExecutionFailureHandler;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Case 12 of the input-integrity issue: exactly-once on a server with too few prepared-transaction slots
 * ({@code max_prepared_transactions = 8}, a private server) for five sinks at parallelism 2. The start is refused
 * with one line saying what the job needs and how to get it, and once the server has that, the same command
 * stores the input; a server whose slots run out later fails the job at its first {@code PREPARE}, with the same
 * line and without retrying.
 */
class PreparedTransactionSlotsITCase {

    @RegisterExtension
    @Order(1)
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    @Order(2)
    static final PostgresTestDatabase DB = PostgresTestDatabase.onPrivateServer(
            Path.of("target", "slots-postgres"), Map.of("max_prepared_transactions", "8"));

    private static final String CASE = "/cases/12-prepared-transaction-slots.ndjson";

    @Test
    void tooFewSlotsRefuseTheStartWithOneLineAndEnoughStoreEveryRecord(@TempDir Path dir) throws Exception {
        KafkaTopics topics = new KafkaTopics(KAFKA, "slots");
        List<String> lines = caseLines();
        // One line per data set, in the order of Dataset.ALL.
        for (int i = 0; i < Dataset.ALL.size(); i++) {
            KAFKA.produce(
                    topics.topic(Dataset.ALL.get(i)), 0, null, lines.get(i).getBytes(UTF_8));
        }
        String[] args = args(dir, topics);

        try (JobProcess run =
                JobProcess.start(Path.of("target", "slots-it"), Map.of(), LocalRunner.class.getName(), args)) {
            assertThat(run.waitFor(120)).as(run.output()).isEqualTo(2);
            assertThat(run.output().strip().lines().filter(line -> !line.startsWith("[run-local] ")))
                    .containsExactly("error: exactly-once needs up to 20 prepared transactions (2 per writer subtask "
                            + "of each of 5 PostgreSQL sinks at parallelism 2), but the PostgreSQL server at "
                            + DB.jdbcUrl() + " has max_prepared_transactions = 8, 0 of them held by other prepared "
                            + "transactions. Raise it to at least 20 (ALTER SYSTEM SET max_prepared_transactions = 20; "
                            + "then restart the server), lower --parallelism, or run with --delivery at-least-once.");
        }
        for (String table : List.of("bars", "option_quotes", "fundamentals", "news", "dead_letters")) {
            assertThat(DB.count(table)).as(table).isZero();
        }
        assertThat(DB.preparedTransactions()).isEmpty();

        // Do what the line says, and run the same command again.
        DB.execute("ALTER SYSTEM SET max_prepared_transactions = 20");
        DB.server().stop();
        DB.server().startAgain();
        try (JobProcess run =
                JobProcess.start(Path.of("target", "slots-it"), Map.of(), LocalRunner.class.getName(), args)) {
            assertThat(run.waitFor(180)).as(run.output()).isZero();
        }
        assertThat(Tables.bars(DB)).containsExactly(read(Dataset.BARS, lines.get(0)));
        assertThat(Tables.optionQuotes(DB)).containsExactly(read(Dataset.OPTIONS, lines.get(1)));
        assertThat(Tables.fundamentals(DB)).containsExactly(read(Dataset.FUNDAMENTALS, lines.get(2)));
        assertThat(Tables.news(DB)).containsExactly(read(Dataset.NEWS, lines.get(3)));
        assertThat(DB.count("dead_letters")).isZero();
        assertThat(DB.preparedTransactions()).isEmpty();
    }

    @Test
    void aPrepareThatFindsEverySlotTakenFailsTheJobAtOnceWithTheSameLine() throws Exception {
        SchemaMigrator.migrate(DB.jdbc());
        int max;
        try (Connection c = DB.connect()) {
            max = PreparedTransactions.maxPreparedTransactions(c);
        }
        // Other applications take every slot after the job started: as if the server came back with fewer.
        List<String> others = new ArrayList<>();
        try {
            for (int i = 0; i < max; i++) {
                try (Connection c = DB.connect();
                        Statement s = c.createStatement()) {
                    c.setAutoCommit(false);
                    s.execute("PREPARE TRANSACTION 'other-application:" + i + "'");
                    others.add("other-application:" + i);
                }
            }
            Bar bar = new Bar(
                    "SLOTS",
                    "1m",
                    Instant.parse("2024-03-01T14:30:00Z"),
                    182.1,
                    182.5,
                    181.9,
                    182.3,
                    120345,
                    null,
                    null,
                    "polygon");
            // The default retry budget, two minutes: a retried PREPARE would take that long to fail.
            try (TwoPhaseCommitWriter<Bar> writer = new TwoPhaseCommitWriter<>(
                    DB.jdbc(),
                    new BarTable(),
                    new SinkSettings(1000, Duration.ofMinutes(1)),
                    new DeadLetterRoute.FailTask(),
                    "slots-job",
                    5,
                    new TestWriterContext(1, 2, OptionalLong.empty()),
                    List.of())) {
                writer.write(bar, null);
                long start = System.nanoTime();
                PreparedTransactionSlots.ExhaustedException e =
                        catchThrowableOfType(PreparedTransactionSlots.ExhaustedException.class, writer::prepareCommit);
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                assertThat(e)
                        .hasMessage("exactly-once needs up to 20 prepared transactions (2 per writer subtask of "
                                + "each of 5 PostgreSQL sinks at parallelism 2), but the PostgreSQL server at "
                                + DB.jdbcUrl()
                                + " has max_prepared_transactions = " + max + ", " + max
                                + " of them held by other prepared "
                                + "transactions. Raise it to at least " + (20 + max) + " (ALTER SYSTEM SET "
                                + "max_prepared_transactions = " + (20 + max) + "; then restart the server), lower "
                                + "--parallelism, or run with --delivery at-least-once.");
                assertThat(e.getSuppressed()).singleElement().satisfies(cause -> assertThat(
                                ((java.sql.SQLException) cause).getSQLState())
                        .isEqualTo("53200"));
                // Flink fails the job instead of restarting it.
                assertThat(ExecutionFailureHandler.isUnrecoverableError(e)).isTrue();
                assertThat(took).isLessThan(Duration.ofSeconds(10));
            }
            assertThat(DB.preparedTransactions()).containsExactlyInAnyOrderElementsOf(others);
            assertThat(DB.rows("SELECT count(*) FROM bars WHERE symbol = 'SLOTS'"))
                    .containsExactly("0");
        } finally {
            try (Connection c = DB.connect()) {
                for (String gid : others) {
                    PreparedTransactions.rollback(c, gid);
                }
            }
        }
    }

    private static String[] args(Path dir, KafkaTopics topics) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--source",
                "kafka",
                "--kafka-bootstrap",
                KAFKA.bootstrapServers(),
                "--kafka-bounded",
                "--kafka-starting-offsets",
                "earliest",
                "--kafka-group",
                topics.name("group"),
                "--datasets",
                "bars,options,fundamentals,news",
                "--dlq-destination",
                "table",
                "--parallelism",
                "2",
                "--jdbc-url",
                DB.jdbcUrl(),
                "--checkpoint-dir",
                dir.resolve("checkpoints").toString(),
                "--checkpoint-interval",
                "500ms",
                "--job-name",
                "slots-test",
                "--web-port",
                String.valueOf(FreePorts.take()),
                "--metrics-port",
                String.valueOf(FreePorts.take())));
        args.addAll(topics.topicOptions());
        return args.toArray(String[]::new);
    }

    private static List<String> caseLines() throws Exception {
        try (InputStream in = PreparedTransactionSlotsITCase.class.getResourceAsStream(CASE)) {
            return new String(in.readAllBytes(), UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList();
        }
    }

    private static <T> T read(Dataset<T> dataset, String line) throws Exception {
        return dataset.json().read(Json.MAPPER.readTree(line));
    }
}
