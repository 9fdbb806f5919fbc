package dev.marketdata.bench;

import dev.marketdata.job.sink.table.BarTable;
import dev.marketdata.job.sink.table.PgBatchWriter;
import dev.marketdata.sources.model.Bar;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * {@code bin/bench --experiments}: the sink's write path and variants of it side by side, straight through JDBC
 * on one thread without Flink, so what the database and driver cost is seen apart from the pipeline. Each variant
 * writes the same bars in batches, one transaction per batch (as the at-least-once writer does), into an empty
 * table; only the writes are timed (building each batch's list of bars is not).
 */
final class SinkExperiments {

    private final BenchDatabase db;
    private final BenchInput input;
    private final PrintStream out;
    private final int repeat;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private ServerCpu serverCpu;

    SinkExperiments(BenchDatabase db, BenchInput input, PrintStream out, int repeat) {
        this.db = db;
        this.input = input;
        this.out = out;
        this.repeat = repeat;
    }

    /** How one variant writes a batch in the open transaction. */
    private interface BatchWrite {
        void write(Connection c, List<Bar> batch) throws SQLException;
    }

    /**
     * @param rewrite connect with pgjdbc's reWriteBatchedInserts=true
     * @param replay write each batch once untimed, then time writing it again (a replay after a restore)
     */
    private record Variant(
            String name,
            String table,
            int batch,
            boolean sorted,
            String sessionSql,
            boolean rewrite,
            boolean replay,
            BatchWrite write) {

        Variant(String name, String table, int batch, BatchWrite write) {
            this(name, table, batch, false, null, false, false, write);
        }
    }

    int run() throws Exception {
        serverCpu = db.serverCpu();
        createTableVariants();
        PgBatchWriter<Bar> real = new PgBatchWriter<>(new BarTable());
        PgBatchWriter<Bar> tsFirst = new PgBatchWriter<>(new BarTable("bars_ts_first"));
        PgBatchWriter<Bar> tsFirstIndexed = new PgBatchWriter<>(new BarTable("bars_ts_first_ix"));
        PgBatchWriter<Bar> partitioned = new PgBatchWriter<>(new BarTable("bars_by_day"));
        BarTable barTable = new BarTable();
        List<Variant> variants = List.of(
                new Variant("PgBatchWriter binary COPY (the job's path)", "bars", 5000, real::write),
                new Variant("  batch 1,000", "bars", 1000, real::write),
                new Variant("  batch 20,000", "bars", 20_000, real::write),
                new Variant("  batch 100,000", "bars", 100_000, real::write),
                new Variant(
                        "  batch sorted by (symbol, ts) before COPY",
                        "bars",
                        5000,
                        true,
                        null,
                        false,
                        false,
                        real::write),
                new Variant(
                        "  batch 20,000 sorted by (symbol, ts)", "bars", 20_000, true, null, false, false, real::write),
                new Variant(
                        "  synchronous_commit = off (what the commits cost)",
                        "bars",
                        5000,
                        false,
                        "SET synchronous_commit = off",
                        false,
                        false,
                        real::write),
                new Variant(
                        "  text (CSV) COPY instead of binary",
                        "bars",
                        5000,
                        (c, rows) -> csvCopy(c, "bars", barTable, rows)),
                new Variant(
                        "  replay: every batch again (COPY fails, upsert changes nothing)",
                        "bars",
                        5000,
                        false,
                        null,
                        false,
                        true,
                        real::write),
                new Variant(
                        "stock statement: INSERT ON CONFLICT, reWriteBatchedInserts",
                        "bars",
                        5000,
                        false,
                        null,
                        true,
                        false,
                        SinkExperiments::stockInsert),
                new Variant("PgBatchWriter into PK (ts, symbol, timeframe)", "bars_ts_first", 5000, tsFirst::write),
                new Variant(
                        "  same, plus an index on (symbol, timeframe, ts)",
                        "bars_ts_first_ix",
                        5000,
                        tsFirstIndexed::write),
                new Variant("PgBatchWriter into daily partitions, same PK", "bars_by_day", 5000, partitioned::write));

        out.println("[bench] Sink write-path experiments: " + input.rows() + " rows, one thread, no Flink"
                + (repeat > 1 ? ", " + repeat + " interleaved rounds" : ""));
        out.print("[bench] warm-up (the first variant once, not counted) ... ");
        out.flush();
        run(variants.get(0));
        out.println("done");
        List<List<double[]>> results = new ArrayList<>();
        variants.forEach(v -> results.add(new ArrayList<>()));
        for (int round = 1; round <= repeat; round++) {
            for (int k = 0; k < variants.size(); k++) {
                Variant v = variants.get(k);
                out.printf(Locale.ROOT, "[bench] %-62s ... ", v.name().strip());
                out.flush();
                double[] r = run(v);
                long rows = countRows(v.table());
                if (rows != input.rows()) {
                    out.println("WRONG: " + rows + " rows");
                    return 1;
                }
                results.get(k).add(r);
                out.printf(Locale.ROOT, "%,.0f rows/s%n", rows / r[0]);
            }
        }
        TextTable table = new TextTable(
                        "variant",
                        "table",
                        "batch",
                        "rows/s (best)",
                        "vs job path",
                        "rows/s (median)",
                        "seconds (range)",
                        "client CPU s",
                        "server CPU s")
                .alignRight(2, 3, 4, 5, 6, 7, 8);
        double baseline = Double.NaN;
        for (int k = 0; k < variants.size(); k++) {
            Variant v = variants.get(k);
            List<double[]> runs = new ArrayList<>(results.get(k));
            runs.sort(Comparator.comparingDouble(r -> r[0]));
            double[] median = runs.get((runs.size() - 1) / 2);
            double[] best = runs.get(0);
            double rate = input.rows() / best[0];
            if (k == 0) {
                baseline = rate;
            }
            String range = runs.size() < 2
                    ? ""
                    : String.format(Locale.ROOT, " (%.2f-%.2f)", runs.get(0)[0], runs.get(runs.size() - 1)[0]);
            table.add(
                    v.name(),
                    v.table(),
                    String.format(Locale.ROOT, "%,d", v.batch()),
                    String.format(Locale.ROOT, "%,.0f", rate),
                    String.format(Locale.ROOT, "%.2fx", rate / baseline),
                    String.format(Locale.ROOT, "%,.0f", input.rows() / median[0]),
                    String.format(Locale.ROOT, "%.2f", best[0]) + range,
                    String.format(Locale.ROOT, "%.1f", best[1]),
                    String.format(Locale.ROOT, "%.1f", best[2]));
        }
        out.println();
        out.println(table);
        out.println("seconds: the writes only (COPY or INSERT and COMMIT per batch); client CPU: the writing thread;"
                + " server CPU: every PostgreSQL process over the variant's run. rows/s, ratio and CPU: the fastest of"
                + " the interleaved rounds (other work on the machine only slows a run down).");
        return 0;
    }

    private void createTableVariants() throws SQLException {
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bars_ts_first (LIKE bars INCLUDING DEFAULTS, PRIMARY KEY (ts, symbol, timeframe))");
            s.execute(
                    "CREATE TABLE bars_ts_first_ix (LIKE bars INCLUDING DEFAULTS, PRIMARY KEY (ts, symbol, timeframe))");
            s.execute("CREATE INDEX ON bars_ts_first_ix (symbol, timeframe, ts)");
            s.execute("CREATE TABLE bars_by_day (LIKE bars INCLUDING DEFAULTS, PRIMARY KEY (symbol, timeframe, ts))"
                    + " PARTITION BY RANGE (ts)");
            long days = input.spec().stepsPerSymbol() / (24 * 60) + 2;
            for (long d = 0; d < days; d++) {
                s.execute(String.format(
                        Locale.ROOT,
                        "CREATE TABLE bars_by_day_%d PARTITION OF bars_by_day FOR VALUES FROM"
                                + " (timestamptz '%s' + interval '%d days') TO (timestamptz '%s' + interval '%d days')",
                        d,
                        BenchInput.START.toString().substring(0, 10),
                        d,
                        BenchInput.START.toString().substring(0, 10),
                        d + 1));
            }
        }
    }

    /** Returns {write seconds, client CPU seconds, server CPU seconds}. */
    private double[] run(Variant v) throws Exception {
        try (Connection c = v.rewrite() ? db.connect(db.url().with("reWriteBatchedInserts", "true")) : db.connect();
                Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + v.table());
            s.execute("CHECKPOINT");
            if (v.sessionSql() != null) {
                s.execute(v.sessionSql());
            }
            c.setAutoCommit(false);
            List<Bar> batch = new ArrayList<>(v.batch());
            long[] nanos = new long[2];
            double serverBefore = serverCpu.seconds();
            SQLException[] failure = new SQLException[1];
            input.forEach(bar -> {
                if (failure[0] != null) {
                    return;
                }
                batch.add(bar);
                if (batch.size() == v.batch()) {
                    failure[0] = flush(c, v, batch, nanos);
                }
            });
            if (failure[0] == null && !batch.isEmpty()) {
                failure[0] = flush(c, v, batch, nanos);
            }
            if (failure[0] != null) {
                throw failure[0];
            }
            double server = serverCpu.seconds() - serverBefore; // includes the untimed generation gaps: idle server
            return new double[] {nanos[0] / 1e9, nanos[1] / 1e9, server};
        }
    }

    private SQLException flush(Connection c, Variant v, List<Bar> batch, long[] nanos) {
        if (v.sorted()) {
            batch.sort(Comparator.comparing(Bar::symbol).thenComparing(Bar::ts));
        }
        try {
            if (v.replay()) {
                v.write().write(c, batch);
                c.commit();
            }
        } catch (SQLException e) {
            return e;
        }
        long cpu = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        try {
            v.write().write(c, batch);
            c.commit();
        } catch (SQLException e) {
            return e;
        }
        nanos[0] += System.nanoTime() - start;
        nanos[1] += threads.getCurrentThreadCpuTime() - cpu;
        batch.clear();
        return null;
    }

    private long countRows(String table) throws SQLException {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void csvCopy(Connection c, String table, BarTable barTable, List<Bar> rows) throws SQLException {
        StringBuilder csv = new StringBuilder(rows.size() * 110);
        for (Bar bar : rows) {
            csv.append(bar.symbol())
                    .append(',')
                    .append(bar.timeframe())
                    .append(',')
                    .append(bar.ts())
                    .append(',')
                    .append(bar.open())
                    .append(',')
                    .append(bar.high())
                    .append(',')
                    .append(bar.low())
                    .append(',')
                    .append(bar.close())
                    .append(',')
                    .append(bar.volume())
                    .append(',')
                    .append(bar.vwap() == null ? "" : bar.vwap().toString())
                    .append(',')
                    .append(bar.trades() == null ? "" : bar.trades().toString())
                    .append(',')
                    .append(bar.provider())
                    .append('\n');
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        CopyIn copy = c.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn("COPY " + table + " (" + String.join(", ", barTable.columns()) + ") FROM STDIN (FORMAT csv)");
        try {
            copy.writeToCopy(bytes, 0, bytes.length);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static void stockInsert(Connection c, List<Bar> rows) throws SQLException {
        // Same statement and binding as the stock sink, with reWriteBatchedInserts switched on for this connection.
        try (PreparedStatement ps = c.prepareStatement(StockJdbcSink.upsertSql())) {
            StockJdbcSink.BindBar bind = new StockJdbcSink.BindBar();
            for (Bar bar : rows) {
                bind.accept(ps, bar);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
