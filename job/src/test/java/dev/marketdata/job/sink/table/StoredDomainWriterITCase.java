package dev.marketdata.job.sink.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.sources.model.Bar;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The batch writer against values and errors at the edge of what the table holds: times within one microsecond,
 * values the COPY encoder must refuse rather than wrap, an index entry beyond its limit (54000), two rows with one
 * stored key in one upsert (21000), and errors of no known kind raised by some rows or by all.
 */
class StoredDomainWriterITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final String ROWS =
            "SELECT symbol, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), high, "
                    + "volume FROM bars ORDER BY symbol, ts";
    private static final Instant T0 = Instant.parse("2024-06-14T14:30:00Z");

    private final PgBatchWriter<Bar> writer = new PgBatchWriter<>(new BarTable());

    @BeforeAll
    static void schema() throws Exception {
        SchemaMigrator.migrate(DB.jdbc());
    }

    @BeforeEach
    void empty() throws Exception {
        DB.execute("TRUNCATE bars; DROP TRIGGER IF EXISTS refuse ON bars");
    }

    private PgBatchWriter.Result<Bar> write(List<Bar> bars) throws Exception {
        try (Connection c = DB.jdbc().connect()) {
            PgBatchWriter.Result<Bar> result = writer.write(c, bars);
            c.commit();
            return result;
        }
    }

    private static Bar bar(String symbol, Instant ts, double high, double volume) {
        return new Bar(symbol, "1s", ts, 1, high, 1, 1, volume, null, null, "gw");
    }

    @Test
    void copyAndUpsertTruncateSubMicrosecondDigitsAlike() throws Exception {
        Instant first = Instant.parse("2024-06-14T14:31:00.999999600Z");
        write(List.of(bar("SPY", first, 2, 1)));
        // A correction 1 ns later: the same stored key, so the upsert replaces the row (it rounded before: 2 rows).
        PgBatchWriter.Result<Bar> result = write(List.of(bar("SPY", first.plusNanos(1), 3, 1)));

        assertThat(result.upserted()).isEqualTo(1);
        assertThat(DB.rows(ROWS)).containsExactly("SPY|2024-06-14 14:31:00.999999|3|1");
    }

    @Test
    void twoRowsWithOneStoredKeyInOneUpsertAreWrittenInOrderNotRetried() throws Exception {
        write(List.of(bar("SPY", T0, 1, 1)));
        // Handed both (the sink's own batches never hold two): COPY meets the key, the upsert fails with 21000,
        // bisection writes them one by one, and the later one wins.
        PgBatchWriter.Result<Bar> result =
                write(List.of(bar("SPY", T0.plusNanos(100), 2, 2), bar("SPY", T0.plusNanos(400), 3, 3)));

        assertThat(result.rejected()).isEmpty();
        assertThat(DB.rows(ROWS)).containsExactly("SPY|2024-06-14 14:30:00.000000|3|3");
    }

    @Test
    void theEncoderRefusesWhatTheColumnCannotHoldAndTheRowIsIsolated() throws Exception {
        PgBatchWriter.Result<Bar> result = write(List.of(
                bar("A", T0, 1, 1),
                bar("B", Instant.parse("+1000000000-12-31T23:59:59.999Z"), 1, 1),
                bar("C", T0, 1, 1),
                bar("D\u0000", T0, 1, 1),
                bar("E\ud800", T0, 1, 1)));

        assertThat(result.rejected())
                .extracting(r -> r.row().symbol() + " " + r.sqlState())
                .containsExactly("B 22008", "D\u0000 22021", "E\ud800 22021");
        assertThat(DB.rows("SELECT symbol FROM bars ORDER BY symbol")).containsExactly("A", "C");
    }

    @Test
    void theEncoderNeverWrapsDatesOrTimes() {
        PgBinaryCopyBuffer buffer = new PgBinaryCopyBuffer(64);
        assertThatThrownBy(() -> buffer.putTimestamptz(Instant.MAX))
                .isInstanceOf(PgEncodingException.class)
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> buffer.putTimestamptz(Instant.parse("-4713-11-23T23:59:59Z")))
                .isInstanceOf(PgEncodingException.class);
        assertThatThrownBy(() -> buffer.putDate(LocalDate.MAX)).isInstanceOf(PgEncodingException.class);
        assertThatThrownBy(() -> buffer.putDate(LocalDate.of(5_874_898, 1, 1))).isInstanceOf(PgEncodingException.class);
        buffer.putDate(LocalDate.of(5_874_897, 12, 31));
        buffer.putTimestamptz(Instant.parse("+294276-12-31T23:59:59.999999Z"));
    }

    @Test
    void anIndexEntryBeyondItsLimitIsIsolatedNotRetried() throws Exception {
        // 3,000 random characters: incompressible, so beyond the 2,704 bytes of a B-tree entry (54000).
        Random random = new Random(8);
        StringBuilder longSymbol = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            longSymbol.append((char) ('!' + random.nextInt(90)));
        }
        PgBatchWriter.Result<Bar> result =
                write(List.of(bar("A", T0, 1, 1), bar(longSymbol.toString(), T0, 1, 1), bar("C", T0, 1, 1)));

        assertThat(result.rejected())
                .extracting(PgBatchWriter.Rejected::sqlState)
                .containsExactly("54000");
        assertThat(DB.rows("SELECT symbol FROM bars ORDER BY symbol")).containsExactly("A", "C");
    }

    @Test
    void anErrorOfNoKnownKindThatSomeRowsRaiseIsolatesThem() throws Exception {
        refuseWhere("NEW.volume = 13");

        PgBatchWriter.Result<Bar> result =
                write(List.of(bar("A", T0, 1, 1), bar("B", T0, 1, 13), bar("C", T0, 1, 1), bar("D", T0, 1, 1)));

        assertThat(result.rejected())
                .extracting(r -> r.row().symbol() + " " + r.sqlState())
                .containsExactly("B P0001");
        assertThat(DB.rows("SELECT symbol FROM bars ORDER BY symbol")).containsExactly("A", "C", "D");
    }

    @Test
    void anErrorOfNoKnownKindThatEveryRowRaisesIsTheStatementsAndIsThrown() throws Exception {
        refuseWhere("true");

        assertThatThrownBy(() -> write(List.of(bar("A", T0, 1, 1), bar("B", T0, 1, 1), bar("C", T0, 1, 1))))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("P0001"));
        assertThatThrownBy(() -> write(List.of(bar("A", T0, 1, 1)))).isInstanceOf(SQLException.class);
        assertThat(DB.count("bars")).isZero();
    }

    /** A trigger that raises {@code raise_exception} (P0001, no known kind) for the rows matching {@code condition}. */
    private static void refuseWhere(String condition) throws SQLException {
        DB.execute("CREATE OR REPLACE FUNCTION refuse_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF "
                + condition + " THEN RAISE EXCEPTION 'refused by a trigger'; END IF; RETURN NEW; END $$; "
                + "CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON bars FOR EACH ROW EXECUTE FUNCTION refuse_row()");
    }
}
