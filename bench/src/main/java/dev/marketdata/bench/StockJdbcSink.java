package dev.marketdata.bench;

import dev.marketdata.job.sink.table.BarTable;
import dev.marketdata.sources.model.Bar;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.stream.Collectors;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;

/**
 * The baseline: flink-connector-jdbc's stock {@link JdbcSink} as its documentation shows it, writing bars with
 * {@code INSERT ... ON CONFLICT (key) DO UPDATE SET col = EXCLUDED.col} in JDBC batches, with pgjdbc's
 * {@code reWriteBatchedInserts=true} (which turns a batch into multi-row INSERTs; it works here because the
 * statement's update part has no bind parameters).
 */
final class StockJdbcSink {

    static final int BATCH_SIZE = 5000;

    private StockJdbcSink() {}

    static String upsertSql() {
        return upsertSql("bars");
    }

    static String upsertSql(String tableName) {
        BarTable table = new BarTable(tableName);
        String columns = String.join(", ", table.columns());
        String params = table.columns().stream().map(c -> "?").collect(Collectors.joining(", "));
        String updates = table.columns().stream()
                .filter(c -> !table.keyColumns().contains(c))
                .map(c -> c + " = EXCLUDED." + c)
                .collect(Collectors.joining(", "));
        return "INSERT INTO " + table.name() + " (" + columns + ") VALUES (" + params + ") ON CONFLICT ("
                + String.join(", ", table.keyColumns()) + ") DO UPDATE SET " + updates;
    }

    /**
     * The at-least-once sink; it flushes a batch at {@code BATCH_SIZE} rows, after {@code batchIntervalMs}, and
     * on every checkpoint.
     */
    static JdbcSink<Bar> build(PgUrl url, String password, long batchIntervalMs, String table) {
        JdbcConnectionOptions.JdbcConnectionOptionsBuilder connection =
                new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                        .withUrl(url.with("reWriteBatchedInserts", "true").jdbc())
                        .withDriverName("org.postgresql.Driver");
        if (password != null) {
            connection.withPassword(password);
        }
        return JdbcSink.<Bar>builder()
                .withQueryStatement(upsertSql(table), new BindBar())
                .withExecutionOptions(JdbcExecutionOptions.builder()
                        .withBatchSize(BATCH_SIZE)
                        .withBatchIntervalMs(batchIntervalMs)
                        .withMaxRetries(3)
                        .build())
                .buildAtLeastOnce(connection.build());
    }

    /** Binds one bar to the statement's parameters, in {@link BarTable}'s column order. */
    static final class BindBar implements JdbcStatementBuilder<Bar> {

        private static final long serialVersionUID = 1L;

        @Override
        public void accept(PreparedStatement ps, Bar bar) throws SQLException {
            ps.setString(1, bar.symbol());
            ps.setString(2, bar.timeframe());
            ps.setObject(3, OffsetDateTime.ofInstant(bar.ts(), ZoneOffset.UTC));
            ps.setDouble(4, bar.open());
            ps.setDouble(5, bar.high());
            ps.setDouble(6, bar.low());
            ps.setDouble(7, bar.close());
            ps.setDouble(8, bar.volume());
            if (bar.vwap() == null) {
                ps.setNull(9, Types.DOUBLE);
            } else {
                ps.setDouble(9, bar.vwap());
            }
            if (bar.trades() == null) {
                ps.setNull(10, Types.BIGINT);
            } else {
                ps.setLong(10, bar.trades());
            }
            ps.setString(11, bar.provider());
        }
    }
}
