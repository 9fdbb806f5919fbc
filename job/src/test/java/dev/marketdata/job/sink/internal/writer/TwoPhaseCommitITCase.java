package dev.marketdata.job.sink.internal.writer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.dlq.DeadLetterRoute;
import dev.marketdata.job.schema.SchemaMigrator;
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
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The exactly-once writer and committer driven step by step against a real PostgreSQL, failures included. */
class TwoPhaseCommitITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final Instant T0 = Instant.parse("2024-03-01T14:30:00Z");
    private static TransactionIds IDS;

    @BeforeAll
    static void schema() throws Exception {
        SchemaMigrator.migrate(DB.jdbc());
        IDS = TransactionIds.of("it-job", DB.name(), "bars");
    }

    @BeforeEach
    void clean() throws Exception {
        try (Connection c = DB.connect()) {
            for (String gid : PreparedTransactions.list(c, "mds:")) {
                PreparedTransactions.rollback(c, gid);
            }
        }
        DB.execute("TRUNCATE bars");
    }

    private static Bar bar(String symbol, int minute, double close) {
        return new Bar(
                symbol,
                "1m",
                T0.plusSeconds(60L * minute),
                close,
                close + 1,
                close - 1,
                close,
                100,
                null,
                null,
                "test");
    }

    private static TwoPhaseCommitWriter<Bar> writer(String job, int subtask, int parallelism, OptionalLong restored)
            throws Exception {
        return new TwoPhaseCommitWriter<>(
                DB.jdbc(),
                new BarTable(),
                new SinkSettings(1000, Duration.ofMinutes(1)),
                new DeadLetterRoute.FailTask(),
                job,
                new TestWriterContext(subtask, parallelism, restored),
                List.of());
    }

    private static TwoPhaseCommitWriter<Bar> writer(int subtask, int parallelism, OptionalLong restored)
            throws Exception {
        return writer("it-job", subtask, parallelism, restored);
    }

    private static void write(TwoPhaseCommitWriter<Bar> writer, Bar... bars) throws Exception {
        for (Bar bar : bars) {
            writer.write(bar, null);
        }
    }

    private static List<String> prepared() throws Exception {
        try (Connection c = DB.connect()) {
            return PreparedTransactions.list(c, "mds:");
        }
    }

    private static RecordedCommitRequest<PgTransaction> commit(PgTransaction transaction) {
        RecordedCommitRequest<PgTransaction> request = new RecordedCommitRequest<>(transaction);
        PgCommitter committer =
                new PgCommitter(DB.jdbc(), RetryPolicy.DEFAULT, "bars committer", null, new UnregisteredMetricsGroup());
        try {
            committer.commit(List.of(request));
        } catch (Exception e) {
            request.signalFailedWithUnknownReason(e);
        }
        committer.close();
        return request;
    }

    @Test
    void aCrashBetweenPrepareAndCommitCommitsExactlyOnce() throws Exception {
        Collection<PgTransaction> checkpoint1;
        try (TwoPhaseCommitWriter<Bar> w = writer(0, 1, OptionalLong.empty())) {
            write(w, bar("AAA", 0, 10), bar("BBB", 0, 20), bar("CCC", 0, 30));
            checkpoint1 = w.prepareCommit();
            w.snapshotState(1);
            write(w, bar("AAA", 1, 11));
            assertThat(w.prepareCommit()).containsExactly(new PgTransaction(IDS.gid(0, 2)));
            // The process dies here: checkpoint 1 completed but its commit never ran; checkpoint 2 never completed.
        }
        assertThat(checkpoint1).containsExactly(new PgTransaction(IDS.gid(0, 1)));
        assertThat(DB.count("bars")).isZero();
        assertThat(prepared()).containsExactly(IDS.gid(0, 1), IDS.gid(0, 2));

        // Restart from checkpoint 1: the writer rolls back what no checkpoint names...
        writer(0, 1, OptionalLong.of(1)).close();
        assertThat(prepared()).containsExactly(IDS.gid(0, 1));
        // ...and the committer commits the restored committable, once.
        assertThat(commit(checkpoint1.iterator().next()).outcome()).isEqualTo("committed");
        // A second failure replays the same committable: already committed, not an error.
        assertThat(commit(checkpoint1.iterator().next()).outcome()).isEqualTo("already committed");

        assertThat(Tables.bars(DB)).containsExactly(bar("AAA", 0, 10), bar("BBB", 0, 20), bar("CCC", 0, 30));
        assertThat(prepared()).isEmpty();
    }

    @Test
    void afterRescalingDownTheRemainingWriterRollsBackTheOrphansOfTheRemovedOne() throws Exception {
        List<PgTransaction> checkpoint1 = new ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            try (TwoPhaseCommitWriter<Bar> w = writer(subtask, 2, OptionalLong.empty())) {
                write(w, bar("S" + subtask, 0, 10));
                checkpoint1.addAll(w.prepareCommit());
                w.snapshotState(1);
                write(w, bar("S" + subtask, 1, 11));
                w.prepareCommit();
            }
        }
        assertThat(prepared()).containsExactly(IDS.gid(0, 1), IDS.gid(0, 2), IDS.gid(1, 1), IDS.gid(1, 2));

        writer(0, 1, OptionalLong.of(1)).close();

        assertThat(prepared()).containsExactly(IDS.gid(0, 1), IDS.gid(1, 1));
        checkpoint1.forEach(TwoPhaseCommitITCase::commit);
        assertThat(Tables.bars(DB)).containsExactly(bar("S0", 0, 10), bar("S1", 0, 10));
        assertThat(prepared()).isEmpty();
    }

    @Test
    void aFreshStartRollsBackItsOwnLeftoversButNotAnotherJobs() throws Exception {
        try (TwoPhaseCommitWriter<Bar> w = writer(0, 1, OptionalLong.empty())) {
            write(w, bar("AAA", 0, 10));
            w.prepareCommit();
        }
        try (TwoPhaseCommitWriter<Bar> other = writer("other-job", 0, 1, OptionalLong.empty())) {
            write(other, bar("ZZZ", 0, 10));
            other.prepareCommit();
        }

        writer(0, 1, OptionalLong.empty()).close();

        assertThat(prepared())
                .containsExactly(
                        TransactionIds.of("other-job", DB.name(), "bars").gid(0, 1));
    }

    @Test
    void aRowLockedByTheWritersOwnPreparedTransactionIsWaitedForNotDeadlockedOn() throws Exception {
        try (TwoPhaseCommitWriter<Bar> w = writer(0, 1, OptionalLong.empty())) {
            write(w, bar("AAA", 0, 10));
            PgTransaction first = w.prepareCommit().iterator().next();
            w.snapshotState(1);
            // The same key again (a correction) before checkpoint 1's commit has run.
            write(w, bar("AAA", 0, 12));
            CompletableFuture<RecordedCommitRequest<PgTransaction>> committer = CompletableFuture.supplyAsync(() -> {
                sleep(1000);
                return commit(first);
            });
            w.flush(false);
            assertThat(committer.get(30, TimeUnit.SECONDS).outcome()).isEqualTo("committed");
            commit(w.prepareCommit().iterator().next());
        }
        assertThat(Tables.bars(DB)).containsExactly(bar("AAA", 0, 12));
        assertThat(prepared()).isEmpty();
    }

    @Test
    void aTransactionOfACheckpointThatWasAbortedIsCommittedWithTheFinalCheckpointOrRolledBackOnRestore()
            throws Exception {
        // Restored from checkpoint 4. Checkpoint 5's barrier prepares, then checkpoint 5 is declined (a task was
        // finishing), so no snapshot and no commit; the end of input prepares the rest. Flink's committer commits
        // every committable up to the checkpoint that completes, the final one included: both go in.
        PgTransaction aborted;
        PgTransaction endOfInput;
        try (TwoPhaseCommitWriter<Bar> w = writer(0, 1, OptionalLong.of(4))) {
            write(w, bar("AAA", 0, 10), bar("BBB", 0, 20));
            aborted = w.prepareCommit().iterator().next();
            write(w, bar("CCC", 0, 30));
            w.flush(true);
            endOfInput = w.prepareCommit().iterator().next();
        }
        assertThat(List.of(aborted.gid(), endOfInput.gid())).containsExactly(IDS.gid(0, 5), IDS.gid(0, 6));
        assertThat(prepared()).containsExactly(IDS.gid(0, 5), IDS.gid(0, 6));

        // Had no later checkpoint completed (the process died first), a restore from 4 would roll back both...
        writer(0, 1, OptionalLong.of(4)).close();
        assertThat(prepared()).isEmpty();
        assertThat(DB.count("bars")).isZero();

        // ...and once one does, both are committed, and nothing stays prepared.
        try (TwoPhaseCommitWriter<Bar> w = writer(0, 1, OptionalLong.of(4))) {
            write(w, bar("AAA", 0, 10), bar("BBB", 0, 20));
            aborted = w.prepareCommit().iterator().next();
            write(w, bar("CCC", 0, 30));
            w.flush(true);
            endOfInput = w.prepareCommit().iterator().next();
        }
        assertThat(commit(aborted).outcome()).isEqualTo("committed");
        assertThat(commit(endOfInput).outcome()).isEqualTo("committed");
        assertThat(Tables.bars(DB)).containsExactly(bar("AAA", 0, 10), bar("BBB", 0, 20), bar("CCC", 0, 30));
        assertThat(prepared()).isEmpty();
    }

    @Test
    void aCheckpointWithoutRowsPreparesNothing() throws Exception {
        try (TwoPhaseCommitWriter<Bar> w = writer(0, 1, OptionalLong.empty())) {
            assertThat(w.prepareCommit()).isEmpty();
        }
        assertThat(prepared()).isEmpty();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
