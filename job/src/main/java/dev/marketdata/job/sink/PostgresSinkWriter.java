package dev.marketdata.job.sink;

import dev.marketdata.job.MarketDataMetrics;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * Buffers rows into batches (by count and by age), one row per key so a batch never names a key twice, and
 * writes each batch in its own transaction. All work, the age-based flush included, runs on the task thread,
 * so a failure fails the task and Flink restores from the last checkpoint.
 */
final class PostgresSinkWriter<T> implements SinkWriter<T> {

    private static final int LATENCY_WINDOW = 1024;

    private final JdbcSettings jdbc;
    private final PgTable<T> table;
    private final SinkSettings settings;
    private final PgBatchWriter<T> batchWriter;
    private final ProcessingTimeService time;
    private final Map<Object, T> batch = new LinkedHashMap<>();

    private final Counter rowsWritten;
    private final Counter rowsUpserted;
    private final Counter batchesWritten;
    private final Counter recordsSent;
    private final Histogram writeLatencyMs;

    private Connection connection;
    private boolean flushTimerPending;

    PostgresSinkWriter(JdbcSettings jdbc, PgTable<T> table, SinkSettings settings, WriterInitContext context) {
        this.jdbc = jdbc;
        this.table = table;
        this.settings = settings;
        this.batchWriter = new PgBatchWriter<>(table);
        this.time = context.getProcessingTimeService();
        MetricGroup group = context.metricGroup().addGroup(MarketDataMetrics.TABLE_GROUP, table.name());
        this.rowsWritten = group.counter(MarketDataMetrics.ROWS_WRITTEN);
        this.rowsUpserted = group.counter(MarketDataMetrics.ROWS_UPSERTED);
        this.batchesWritten = group.counter(MarketDataMetrics.BATCHES_WRITTEN);
        this.writeLatencyMs = group.histogram(
                MarketDataMetrics.WRITE_LATENCY_MS, new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
        group.gauge(MarketDataMetrics.BUFFERED_ROWS, batch::size);
        this.recordsSent = context.metricGroup().getNumRecordsSendCounter();
    }

    @Override
    public void write(T record, Context context) throws IOException {
        batch.put(table.key(record), record);
        if (batch.size() >= settings.maxBatchRows()) {
            writeBatch();
        } else if (!flushTimerPending) {
            flushTimerPending = true;
            time.registerTimer(time.getCurrentProcessingTime() + settings.maxBatchDelay().toMillis(), this::onFlushTimer);
        }
    }

    private void onFlushTimer(long timestamp) throws IOException {
        flushTimerPending = false;
        writeBatch();
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        writeBatch();
    }

    private void writeBatch() throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        int upserted;
        try {
            Connection c = connection();
            upserted = batchWriter.write(c, batch.values());
            c.commit();
        } catch (SQLException e) {
            closeConnection();
            throw new IOException(String.format(
                    "Writing a batch of %d rows to %s failed (SQLState %s): %s",
                    batch.size(), table.name(), e.getSQLState(), e.getMessage()), e);
        }
        writeLatencyMs.update((System.nanoTime() - start) / 1_000_000);
        rowsWritten.inc(batch.size());
        rowsUpserted.inc(upserted);
        recordsSent.inc(batch.size());
        batchesWritten.inc();
        batch.clear();
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = jdbc.connect();
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // The connection is being dropped because it failed; a second failure adds nothing.
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closeConnection();
    }
}
