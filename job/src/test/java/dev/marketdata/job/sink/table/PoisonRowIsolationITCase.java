package dev.marketdata.job.sink.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.model.Bar;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link PgBatchWriter}'s bisection against a real PostgreSQL: exactly the bad rows out, all others in. */
class PoisonRowIsolationITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final Instant T0 = Instant.parse("2024-03-01T14:30:00Z");
    private static final String CHECK_MESSAGE = "new row for relation \"bars\" violates check constraint \"poison\"";

    private final PgBatchWriter<Bar> writer = new PgBatchWriter<>(new BarTable());

    @BeforeAll
    static void schema() throws Exception {
        SchemaMigrator.migrate(DB.jdbc());
    }

    @BeforeEach
    void empty() throws Exception {
        DB.execute("TRUNCATE bars");
        DB.execute("ALTER TABLE bars DROP CONSTRAINT IF EXISTS poison");
    }

    @AfterEach
    void dropConstraint() throws Exception {
        DB.execute("ALTER TABLE bars DROP CONSTRAINT IF EXISTS poison");
    }

    /** Bar {@code i}: a distinct key, {@code trades = i}. */
    private static Bar bar(int i) {
        return new Bar(
                "S" + (i % 50), "1m", T0.plusSeconds(60L * (i / 50)), 10, 11, 9, 10.5, i, null, (long) i, "test");
    }

    private static List<Bar> bars(int n) {
        return IntStream.range(0, n).mapToObj(PoisonRowIsolationITCase::bar).toList();
    }

    private PgBatchWriter.Result<Bar> writeAndCommit(List<Bar> rows) throws Exception {
        try (Connection c = DB.jdbc().connect()) {
            PgBatchWriter.Result<Bar> result = writer.write(c, rows);
            c.commit();
            return result;
        }
    }

    private static List<Bar> without(List<Bar> rows, Set<Integer> trades) {
        return rows.stream()
                .filter(b -> !trades.contains(b.trades().intValue()))
                .toList();
    }

    @Test
    void writesEveryRowButTheOnesACheckConstraintRefuses() throws Exception {
        DB.execute("ALTER TABLE bars ADD CONSTRAINT poison CHECK (trades NOT IN (0, 13, 14, 57, 99))");
        List<Bar> rows = bars(100);

        PgBatchWriter.Result<Bar> result = writeAndCommit(rows);

        assertThat(result.rejected())
                .containsExactly(
                        new PgBatchWriter.Rejected<>(bar(0), "23514", CHECK_MESSAGE),
                        new PgBatchWriter.Rejected<>(bar(13), "23514", CHECK_MESSAGE),
                        new PgBatchWriter.Rejected<>(bar(14), "23514", CHECK_MESSAGE),
                        new PgBatchWriter.Rejected<>(bar(57), "23514", CHECK_MESSAGE),
                        new PgBatchWriter.Rejected<>(bar(99), "23514", CHECK_MESSAGE));
        assertThat(result.written()).isEqualTo(95);
        assertThat(result.upserted()).isZero();
        assertThat(Tables.bars(DB)).containsExactlyInAnyOrderElementsOf(without(rows, Set.of(0, 13, 14, 57, 99)));
    }

    @Test
    void isolatesRowsInTheUpsertPathToo() throws Exception {
        List<Bar> rows = bars(64);
        writeAndCommit(rows.subList(0, 10)); // the batch below hits existing keys: it goes through the upsert
        DB.execute("ALTER TABLE bars ADD CONSTRAINT poison CHECK (trades <> 40) NOT VALID");

        PgBatchWriter.Result<Bar> result = writeAndCommit(rows);

        assertThat(result.rejected()).containsExactly(new PgBatchWriter.Rejected<>(bar(40), "23514", CHECK_MESSAGE));
        assertThat(result.upserted()).isEqualTo(63);
        assertThat(Tables.bars(DB)).containsExactlyInAnyOrderElementsOf(without(rows, Set.of(40)));
    }

    @Test
    void aNulCharacterInTextIsADataErrorOfItsOwnRow() throws Exception {
        Bar nul = new Bar("NUL", "1m", T0, 1, 2, 1, 2, 0, null, null, "bad\u0000provider");
        List<Bar> rows = List.of(bar(1), nul, bar(2));

        PgBatchWriter.Result<Bar> result = writeAndCommit(rows);

        assertThat(result.rejected()).hasSize(1);
        assertThat(result.rejected().get(0).row()).isEqualTo(nul);
        assertThat(result.rejected().get(0).sqlState()).isEqualTo("22021");
        assertThat(Tables.bars(DB)).containsExactlyInAnyOrder(bar(1), bar(2));
    }

    @Test
    void whenEveryRowIsRefusedEveryRowIsDeadLetteredAndNothingWritten() throws Exception {
        DB.execute("ALTER TABLE bars ADD CONSTRAINT poison CHECK (trades < 0)");

        PgBatchWriter.Result<Bar> result = writeAndCommit(bars(8));

        assertThat(result.rejected()).extracting(PgBatchWriter.Rejected::row).containsExactlyElementsOf(bars(8));
        assertThat(DB.count("bars")).isZero();
    }

    @Test
    void anErrorThatIsNotAboutTheDataRollsTheBatchBackAndKeepsTheTransactionUsable() throws Exception {
        try (Connection holder = DB.jdbc().connect();
                Connection c = DB.jdbc().connect()) {
            writer.write(c, List.of(bar(1)));
            try (Statement s = c.createStatement()) {
                s.execute("SET lock_timeout = '50ms'");
            }
            writer.write(holder, List.of(bar(3))); // uncommitted: bar 3's key is locked until holder ends

            assertThatThrownBy(() -> writer.write(c, List.of(bar(2), bar(3))))
                    .hasFieldOrPropertyWithValue("SQLState", "55P03")
                    .isNotInstanceOf(BrokenTransactionException.class);

            holder.rollback();
            writer.write(c, List.of(bar(4)));
            c.commit();
        }
        assertThat(Tables.bars(DB)).containsExactlyInAnyOrder(bar(1), bar(4));
    }

    @Test
    void costOfIsolatingOneBadRowInFiveThousand() throws Exception {
        List<Bar> rows = bars(5000);
        long clean = timeMillis(rows);
        DB.execute("TRUNCATE bars");
        DB.execute("ALTER TABLE bars ADD CONSTRAINT poison CHECK (trades <> 3217)");

        long start = System.nanoTime();
        PgBatchWriter.Result<Bar> result = writeAndCommit(rows);
        long isolated = (System.nanoTime() - start) / 1_000_000;

        assertThat(result.rejected()).extracting(PgBatchWriter.Rejected::row).containsExactly(bar(3217));
        assertThat(DB.count("bars")).isEqualTo(4999);
        // log2(5000) < 13 levels, at most two halves tried per level, plus the whole batch
        assertThat(result.statements()).isLessThanOrEqualTo(1 + 2 * 13);
        System.out.printf(
                "[bisection] 1 bad row in 5000: %d statements, %d ms (clean batch: %d ms)%n",
                result.statements(), isolated, clean);
    }

    @Test
    void costOfIsolatingFiftyBadRowsInFiveThousand() throws Exception {
        DB.execute("ALTER TABLE bars ADD CONSTRAINT poison CHECK (trades % 100 <> 37)");

        long start = System.nanoTime();
        PgBatchWriter.Result<Bar> result = writeAndCommit(bars(5000));
        long isolated = (System.nanoTime() - start) / 1_000_000;

        assertThat(result.rejected()).hasSize(50);
        assertThat(DB.count("bars")).isEqualTo(4950);
        // at most two statements per level (13) for each bad row
        assertThat(result.statements()).isLessThanOrEqualTo(50 * 2 * 13);
        System.out.printf("[bisection] 50 bad rows in 5000: %d statements, %d ms%n", result.statements(), isolated);
    }

    private long timeMillis(List<Bar> rows) throws Exception {
        long start = System.nanoTime();
        PgBatchWriter.Result<Bar> result = writeAndCommit(rows);
        assertThat(result.statements()).isEqualTo(1);
        return (System.nanoTime() - start) / 1_000_000;
    }
}
