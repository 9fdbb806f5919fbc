package dev.marketdata.job.sink.internal.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.job.dlq.DeadLetterFiles;
import dev.marketdata.job.dlq.DeadLetterRoute;
import dev.marketdata.job.json.BarJson;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.local.FreePorts;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.sink.config.BreakerSettings;
import dev.marketdata.job.sink.config.JdbcSettings;
import dev.marketdata.job.sink.config.RetryPolicy;
import dev.marketdata.job.sink.config.SinkSettings;
import dev.marketdata.job.sink.internal.twophase.PgCommitter;
import dev.marketdata.job.sink.table.BarTable;
import dev.marketdata.job.sink.twophase.PgTransaction;
import dev.marketdata.job.sink.twophase.PreparedTransactions;
import dev.marketdata.job.sink.twophase.TransactionIds;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.RecordedCommitRequest;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.job.testing.TestWriterContext;
import dev.marketdata.sources.model.Bar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink writers driven step by step against a real PostgreSQL through the failures they must survive: a
 * connection killed in the middle of a transaction, rows the table refuses (to each dead-letter destination),
 * a crash between prepare and commit with dead letters staged, and a retry budget running out.
 */
class FaultTolerantWriterITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final Instant T0 = Instant.parse("2024-03-01T14:30:00Z");
    private static final String CHECK_MESSAGE = "new row for relation \"bars\" violates check constraint \"poison\"";
    private static final SinkSettings SETTINGS = new SinkSettings(
            10,
            Duration.ofMinutes(1),
            new RetryPolicy(Duration.ofSeconds(30), Duration.ofMillis(10), Duration.ofMillis(100)),
            new BreakerSettings(3, Duration.ofMillis(200)));

    @TempDir
    Path dlq;

    @BeforeAll
    static void schema() throws Exception {
        SchemaMigrator.migrate(DB.jdbc());
    }

    @BeforeEach
    void clean() throws Exception {
        try (Connection c = DB.connect()) {
            for (String gid : PreparedTransactions.list(c, "mds:")) {
                PreparedTransactions.rollback(c, gid);
            }
        }
        DB.execute("TRUNCATE bars, dead_letters");
        DB.execute("ALTER TABLE bars DROP CONSTRAINT IF EXISTS poison");
    }

    /** Bar {@code i}, with {@code trades = i}. */
    private static Bar bar(int i) {
        return new Bar("S" + (i % 5), "1m", T0.plusSeconds(60L * (i / 5)), 10, 11, 9, 10.5, i, null, (long) i, "test");
    }

    private static List<Bar> bars(int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(FaultTolerantWriterITCase::bar)
                .toList();
    }

    private DeadLetterRoute.Files files() {
        return new DeadLetterRoute.Files(DeadLetterFiles.toUri(dlq.toString()));
    }

    private static DeadLetterRoute.Table table() {
        return new DeadLetterRoute.Table();
    }

    private static TwoPhaseCommitWriter<Bar> exactlyOnce(DeadLetterRoute.ForRefusedRows dlq, TestWriterContext context)
            throws Exception {
        return new TwoPhaseCommitWriter<>(DB.jdbc(), new BarTable(), SETTINGS, dlq, "it-job", context, List.of());
    }

    private static void write(BatchingWriter<Bar> writer, List<Bar> bars) throws Exception {
        for (Bar bar : bars) {
            writer.write(bar, null);
        }
    }

    private static String commit(PgTransaction transaction) throws Exception {
        PgCommitter committer =
                new PgCommitter(DB.jdbc(), RetryPolicy.DEFAULT, "bars committer", null, new UnregisteredMetricsGroup());
        RecordedCommitRequest<PgTransaction> request = new RecordedCommitRequest<>(transaction);
        committer.commit(List.of(request));
        committer.close();
        return request.outcome();
    }

    private static int terminateWriterConnections() throws Exception {
        return DB.rows("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                        + "AND application_name = 'market-data-store' AND pid <> pg_backend_pid()")
                .size();
    }

    private static List<String> publishedLines(Path dir) {
        return Tables.deadLetters(dir).stream()
                .map(l -> l.get("stage").asText() + " " + l.get("reason").asText() + " "
                        + l.get("message").asText() + " " + l.get("record"))
                .toList();
    }

    private static String line(Bar bar) {
        return "write 23514 " + CHECK_MESSAGE + " " + Json.toJson(new BarJson(), bar);
    }

    private List<Path> stagedFiles() throws IOException {
        Path folder = dlq.resolve("bars");
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".staged-"))
                    .toList();
        }
    }

    @Test
    void aConnectionLostInTheMiddleOfATransactionIsReplacedAndEveryEarlierBatchRewritten() throws Exception {
        TestWriterContext context = new TestWriterContext(0, 1, OptionalLong.empty());
        Collection<PgTransaction> prepared;
        try (TwoPhaseCommitWriter<Bar> w = exactlyOnce(files(), context)) {
            write(w, bars(0, 20)); // two batches of 10 in the open transaction
            assertThat(terminateWriterConnections()).isEqualTo(1);
            write(w, bars(20, 30)); // the third batch finds the connection gone
            prepared = w.prepareCommit();
        }
        assertThat(DB.count("bars")).isZero();
        assertThat(commit(prepared.iterator().next())).isEqualTo("committed");

        assertThat(Tables.bars(DB)).containsExactlyInAnyOrderElementsOf(bars(0, 30));
        assertThat(context.counter("table", "bars", "retries")).isEqualTo(1);
        assertThat(context.counter("table", "bars", "rowsWritten")).isEqualTo(30);
        assertThat(context.counter("table", "bars", "circuitTransitions")).isZero();
        // pg_terminate_backend: the next statement meets "terminating connection due to administrator command"
        assertThat(context.counter("table", "bars", "sqlStateClass", "57", "sqlErrors"))
                .isEqualTo(1);
        assertThat(context.counter("table", "bars", "batchesWritten")).isEqualTo(3);
        assertThat(context.counter("table", "bars", "transactionsPrepared")).isEqualTo(1);
    }

    @Test
    void aRewriteReplaysCopiedAndUpsertedBatchesInOrderSoEachKeysLastVersionWins() throws Exception {
        TestWriterContext context = new TestWriterContext(0, 1, OptionalLong.empty());
        // The second batch corrects the first one's rows (same keys, other closes): it goes in by the upsert.
        List<Bar> corrected = bars(0, 10).stream()
                .map(b -> new Bar(
                        b.symbol(),
                        b.timeframe(),
                        b.ts(),
                        b.open(),
                        b.high(),
                        b.low(),
                        10.75,
                        b.volume(),
                        b.vwap(),
                        b.trades(),
                        b.provider()))
                .toList();
        Collection<PgTransaction> prepared;
        try (TwoPhaseCommitWriter<Bar> w = exactlyOnce(files(), context)) {
            write(w, bars(0, 10)); // a COPY: kept as its stream
            write(w, corrected); // the upsert: kept as rows
            write(w, bars(10, 20)); // a COPY again
            assertThat(terminateWriterConnections()).isEqualTo(1);
            write(w, bars(20, 30)); // finds the connection gone: the three batches are written again, in order
            prepared = w.prepareCommit();
        }
        assertThat(commit(prepared.iterator().next())).isEqualTo("committed");

        List<Bar> expected = new java.util.ArrayList<>(corrected);
        expected.addAll(bars(10, 30));
        assertThat(Tables.bars(DB)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(context.counter("table", "bars", "retries")).isEqualTo(1);
        assertThat(context.counter("table", "bars", "rowsUpserted")).isEqualTo(10);
    }

    @Test
    void aConnectionLostDuringPrepareIsReplacedAndTheTransactionPreparedOnce() throws Exception {
        TestWriterContext context = new TestWriterContext(0, 1, OptionalLong.empty());
        Collection<PgTransaction> prepared;
        try (TwoPhaseCommitWriter<Bar> w = exactlyOnce(files(), context)) {
            write(w, bars(0, 20)); // two batches written, nothing buffered: PREPARE is the first to fail
            terminateWriterConnections();
            prepared = w.prepareCommit();
        }
        assertThat(prepared)
                .containsExactly(new PgTransaction(
                        TransactionIds.of("it-job", DB.name(), "bars").gid(0, 1)));
        assertThat(DB.preparedTransactions())
                .containsExactly(prepared.iterator().next().gid());
        assertThat(commit(prepared.iterator().next())).isEqualTo("committed");
        assertThat(Tables.bars(DB)).containsExactlyInAnyOrderElementsOf(bars(0, 20));
    }

    @Test
    void refusedRowsGoToAStagedFileThatIsPublishedWhenTheirTransactionCommits() throws Exception {
        DB.execute("ALTER TABLE bars ADD CONSTRAINT poison CHECK (trades NOT IN (3, 17, 18))");
        TestWriterContext context = new TestWriterContext(0, 1, OptionalLong.empty());
        Collection<PgTransaction> prepared;
        try (TwoPhaseCommitWriter<Bar> w = exactlyOnce(files(), context)) {
            write(w, bars(0, 25));
            prepared = w.prepareCommit();
        }
        String gid = TransactionIds.of("it-job", DB.name(), "bars").gid(0, 1);
        PgTransaction transaction = prepared.iterator().next();
        assertThat(transaction.gid()).isEqualTo(gid);
        assertThat(transaction.deadLetterFile()).endsWith("/bars/.staged-" + gid.replace(':', '~') + ".ndjson");
        assertThat(stagedFiles()).hasSize(1);
        assertThat(Tables.deadLetterFiles(dlq)).isEmpty(); // not visible before the commit

        assertThat(commit(transaction)).isEqualTo("committed");

        assertThat(stagedFiles()).isEmpty();
        assertThat(Tables.deadLetterFiles(dlq))
                .extracting(p -> p.getFileName().toString())
                .containsExactly("dead-letters-write-" + gid.replace(':', '~') + ".ndjson");
        assertThat(publishedLines(dlq)).containsExactly(line(bar(3)), line(bar(17)), line(bar(18)));
        assertThat(Tables.bars(DB)).hasSize(22).doesNotContain(bar(3), bar(17), bar(18));
        assertThat(context.counter("dataset", "bars", "reason", "23514", "deadLetters"))
                .isEqualTo(3);
        assertThat(context.counter("table", "bars", "sqlStateClass", "23", "sqlErrors"))
                .isEqualTo(3);
        assertThat(context.counter("table", "bars", "rowsWritten")).isEqualTo(22);
        assertThat(context.counter("table", "bars", "retries")).isZero();

        // A replayed commit after a restore: already committed, already published; nothing changes.
        assertThat(commit(transaction)).isEqualTo("already committed");
        assertThat(publishedLines(dlq)).hasSize(3);
    }

    @Test
    void aRestoreDeletesTheStagedDeadLettersOfTransactionsNoCheckpointNames() throws Exception {
        DB.execute("ALTER TABLE bars ADD CONSTRAINT poison CHECK (trades <> 3)");
        try (TwoPhaseCommitWriter<Bar> w = exactlyOnce(files(), new TestWriterContext(0, 1, OptionalLong.empty()))) {
            write(w, bars(0, 10));
            w.prepareCommit(); // prepared for checkpoint 1, which never completes
            write(w, bars(10, 20));
            w.flush(false); // written into checkpoint 2's transaction, never prepared
        }
        assertThat(stagedFiles()).hasSize(1);
        assertThat(DB.preparedTransactions()).hasSize(1);

        exactlyOnce(files(), new TestWriterContext(0, 1, OptionalLong.empty())).close(); // a fresh start

        assertThat(stagedFiles()).isEmpty();
        assertThat(DB.preparedTransactions()).isEmpty();
        assertThat(Tables.deadLetterFiles(dlq)).isEmpty();
    }

    @Test
    void withTheTableDestinationRefusedRowsAreDeadLetteredInTheirBatchsTransaction() throws Exception {
        DB.execute("ALTER TABLE bars ADD CONSTRAINT poison CHECK (trades NOT IN (4, 12))");
        Collection<PgTransaction> prepared;
        try (TwoPhaseCommitWriter<Bar> w = exactlyOnce(table(), new TestWriterContext(0, 1, OptionalLong.empty()))) {
            write(w, bars(0, 10));
            terminateWriterConnections(); // the rewrite must bring the first batch's dead letter back too
            write(w, bars(10, 20));
            prepared = w.prepareCommit();
        }
        assertThat(prepared.iterator().next().deadLetterFile()).isNull();
        assertThat(DB.count("dead_letters")).isZero();

        commit(prepared.iterator().next());

        assertThat(
                        DB.rows(
                                "SELECT dataset, stage, reason, message, record::text FROM dead_letters ORDER BY record->>'trades'"))
                .containsExactly(
                        "bars|write|23514|" + CHECK_MESSAGE + "|" + jsonb(bar(12)),
                        "bars|write|23514|" + CHECK_MESSAGE + "|" + jsonb(bar(4)));
        assertThat(Tables.bars(DB)).hasSize(18).doesNotContain(bar(4), bar(12));
    }

    private static String jsonb(Bar bar) throws Exception {
        return DB.rows("SELECT '" + Json.toJson(new BarJson(), bar) + "'::jsonb::text")
                .get(0);
    }

    @Test
    void atLeastOnceDeadLettersLandOnceEvenWhenTheirBatchIsReplayed() throws Exception {
        DB.execute("ALTER TABLE bars ADD CONSTRAINT poison CHECK (trades NOT IN (2, 7))");
        for (DeadLetterRoute.ForRefusedRows destination : List.of(files(), table())) {
            for (int run = 0; run < 2; run++) { // the second run is the replay after a restore
                try (AtLeastOnceWriter<Bar> w = new AtLeastOnceWriter<>(
                        DB.jdbc(),
                        new BarTable(),
                        SETTINGS,
                        destination,
                        new TestWriterContext(0, 1, OptionalLong.empty()))) {
                    write(w, bars(0, 10));
                    w.flush(false);
                }
            }
        }
        assertThat(Tables.bars(DB))
                .containsExactlyInAnyOrderElementsOf(bars(0, 10).stream()
                        .filter(b -> b.trades() != 2 && b.trades() != 7)
                        .toList());
        assertThat(publishedLines(dlq)).containsExactlyInAnyOrder(line(bar(2)), line(bar(7)));
        assertThat(Tables.inProgressFiles(dlq)).isEmpty();
        assertThat(DB.rows("SELECT record->>'trades' FROM dead_letters ORDER BY 1"))
                .containsExactly("2", "7");
    }

    @Test
    void aSinkWithoutDeadLetterQueueFailsOnARefusedRow() throws Exception {
        DB.execute("ALTER TABLE bars ADD CONSTRAINT poison CHECK (trades <> 2)");
        try (AtLeastOnceWriter<Bar> w = new AtLeastOnceWriter<>(
                DB.jdbc(),
                new BarTable(),
                SETTINGS,
                new DeadLetterRoute.FailTask(),
                new TestWriterContext(0, 1, OptionalLong.empty()))) {
            write(w, bars(0, 5));
            assertThatThrownBy(() -> w.flush(false))
                    .isInstanceOf(IOException.class)
                    .hasMessage("bars (subtask 0) refused 1 row(s), and this sink has no dead-letter queue; first with "
                            + "SQLState 23514: " + CHECK_MESSAGE);
        }
        assertThat(DB.count("bars")).isZero();
    }

    @Test
    void whenTheBudgetIsSpentTheWriteFailsAfterTheBreakerOpened() throws Exception {
        JdbcSettings nowhere = new JdbcSettings(
                "jdbc:postgresql://127.0.0.1:" + FreePorts.take() + "/x?user=postgres&connectTimeout=1", null, null);
        SinkSettings settings = new SinkSettings(
                10,
                Duration.ofMinutes(1),
                new RetryPolicy(Duration.ofSeconds(1), Duration.ofMillis(50), Duration.ofMillis(100)),
                new BreakerSettings(3, Duration.ofMillis(300)));
        TestWriterContext context = new TestWriterContext(0, 1, OptionalLong.empty());
        try (AtLeastOnceWriter<Bar> w = new AtLeastOnceWriter<>(nowhere, new BarTable(), settings, files(), context)) {
            write(w, bars(0, 3));
            long start = System.nanoTime();
            assertThatThrownBy(() -> w.flush(false))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("bars (subtask 0): gave up trying to write a batch of 3 rows after ")
                    .hasMessageContaining("(sink.retry.budget PT1S), last error SQLState 08001");
            // It gives up as soon as the open breaker would hold the next attempt past the budget.
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isBetween(Duration.ofMillis(600), Duration.ofSeconds(3));
        }
        assertThat(context.counter("table", "bars", "circuitTransitions")).isGreaterThanOrEqualTo(1);
        assertThat(context.counter("table", "bars", "sqlStateClass", "08", "sqlErrors"))
                .isEqualTo(context.counter("table", "bars", "retries") + 1);
    }
}
