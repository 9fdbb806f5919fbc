package dev.marketdata.job.sink.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.sources.model.Bar;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PgBatchWriterITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final String ROWS = "SELECT symbol, timeframe, ts AT TIME ZONE 'UTC', open, high, low, close, "
            + "volume, vwap, trades, provider FROM bars ORDER BY symbol, timeframe, ts";

    private static final Instant T0 = Instant.parse("2024-03-01T14:30:00Z");
    private static final Bar AAPL =
            new Bar("AAPL", "1m", T0, 182.1, 182.5, 181.9, 182.3, 120345, 182.2, 812L, "polygon");
    private static final Bar MSFT =
            new Bar("MSFT", "1m", T0, 0.1, 0.30000000000000004, 0.05, 0.2, 1.5e9, null, null, "prövider ☃");
    private static final Bar OLD =
            new Bar("IBM", "1d", Instant.parse("1999-12-31T23:59:59.123456Z"), 1, 2, 1, 2, 0, 1.5, 0L, "alpaca");

    private final PgBatchWriter<Bar> writer = new PgBatchWriter<>(new BarTable());

    @BeforeAll
    static void schema() throws Exception {
        SchemaMigrator.migrate(DB.jdbc());
    }

    @BeforeEach
    void empty() throws Exception {
        DB.execute("TRUNCATE bars");
    }

    private int write(List<Bar> bars) throws Exception {
        try (Connection c = DB.jdbc().connect()) {
            int upserted = writer.write(c, bars).upserted();
            c.commit();
            return upserted;
        }
    }

    @Test
    void copiesEveryColumnExactly() throws Exception {
        assertThat(write(List.of(AAPL, MSFT, OLD))).isZero();

        assertThat(DB.rows(ROWS))
                .containsExactly(
                        "AAPL|1m|2024-03-01 14:30:00|182.1|182.5|181.9|182.3|120345|182.2|812|polygon",
                        "IBM|1d|1999-12-31 23:59:59.123456|1|2|1|2|0|1.5|0|alpaca",
                        "MSFT|1m|2024-03-01 14:30:00|0.1|0.30000000000000004|0.05|0.2|1500000000|null|null|prövider ☃");
    }

    @Test
    void writingTheSameBatchTwiceLeavesTheTableUnchanged() throws Exception {
        write(List.of(AAPL, MSFT, OLD));
        List<String> before = DB.rows(ROWS);
        List<String> versionsBefore = DB.rows("SELECT xmin, ctid FROM bars ORDER BY symbol");

        assertThat(write(List.of(AAPL, MSFT, OLD))).isEqualTo(3);

        assertThat(DB.rows(ROWS)).isEqualTo(before);
        // Not even a new row version: the upsert skips rows whose values did not change.
        assertThat(DB.rows("SELECT xmin, ctid FROM bars ORDER BY symbol")).isEqualTo(versionsBefore);
    }

    @Test
    void aBatchThatHitsAnExistingKeyUpsertsAllItsRows() throws Exception {
        write(List.of(AAPL));
        Bar corrected = new Bar("AAPL", "1m", T0, 182.1, 182.6, 181.9, 182.4, 120400, null, 813L, "polygon");

        assertThat(write(List.of(corrected, MSFT))).isEqualTo(2);

        assertThat(DB.rows(ROWS))
                .containsExactly(
                        "AAPL|1m|2024-03-01 14:30:00|182.1|182.6|181.9|182.4|120400|null|813|polygon",
                        "MSFT|1m|2024-03-01 14:30:00|0.1|0.30000000000000004|0.05|0.2|1500000000|null|null|prövider ☃");
    }

    @Test
    void writesWithinTheCallersTransaction() throws Exception {
        try (Connection c = DB.jdbc().connect()) {
            writer.write(c, List.of(AAPL));
            writer.write(c, List.of(AAPL, MSFT)); // conflict inside the same transaction: rolls back to its savepoint
            assertThat(DB.count("bars")).isZero();
            c.rollback();
        }
        assertThat(DB.count("bars")).isZero();
    }

    @Test
    void growsItsBufferForLargeBatches() throws Exception {
        List<Bar> many = java.util.stream.IntStream.range(0, 20_000)
                .mapToObj(i -> new Bar(
                        "S" + (i % 100),
                        "1m",
                        T0.plusSeconds(60L * (i / 100)),
                        1,
                        2,
                        0.5,
                        1.5,
                        i,
                        null,
                        (long) i,
                        "synthetic"))
                .toList();
        assertThat(write(many)).isZero();
        assertThat(DB.rows("SELECT count(*), sum(trades), max(ts) AT TIME ZONE 'UTC' FROM bars"))
                .containsExactly("20000|199990000|2024-03-01 17:49:00");
    }
}
