package dev.marketdata.job.sink;

import dev.marketdata.job.MarketDataMetrics;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * Buffers rows into batches (by count and by age), one row per key so a batch never names a key twice, and
 * writes each batch into the connection's transaction; subclasses decide when that transaction ends. All work,
 * the age-based flush included, runs on the task thread, so a failure fails the task and Flink restores from
 * the last checkpoint.
 */
abstract class BatchingWriter<T> implements SinkWriter<T> {

    static final String LOCK_NOT_AVAILABLE = "55P03";
    /** How long one statement waits for a row lock before the writer lets the task's mailbox run. */
    static final String LOCK_TIMEOUT = "200ms";
    /** How long a batch may keep waiting for locks, in all, before the write fails. */
    static final Duration LOCK_WAIT_BUDGET = Duration.ofSeconds(60);

    private static final int LATENCY_WINDOW = 1024;

    protected final JdbcSettings jdbc;
    protected final PgTable<T> table;
    private final SinkSettings settings;
    private final PgBatchWriter<T> batchWriter;
    private final ProcessingTimeService time;
    private final MailboxExecutor mailbox;
    private final Map<Object, T> batch = new LinkedHashMap<>();

    protected final MetricGroup metrics;
    private final Counter rowsWritten;
    private final Counter rowsUpserted;
    private final Counter batchesWritten;
    private final Counter recordsSent;
    private final Histogram writeLatencyMs;

    private Connection connection;
    private boolean flushTimerPending;

    BatchingWriter(JdbcSettings jdbc, PgTable<T> table, SinkSettings settings, WriterInitContext context) {
        this.jdbc = jdbc;
        this.table = table;
        this.settings = settings;
        this.batchWriter = new PgBatchWriter<>(table);
        this.time = context.getProcessingTimeService();
        this.mailbox = context.getMailboxExecutor();
        this.metrics = context.metricGroup().addGroup(MarketDataMetrics.TABLE_GROUP, table.name());
        this.rowsWritten = metrics.counter(MarketDataMetrics.ROWS_WRITTEN);
        this.rowsUpserted = metrics.counter(MarketDataMetrics.ROWS_UPSERTED);
        this.batchesWritten = metrics.counter(MarketDataMetrics.BATCHES_WRITTEN);
        this.writeLatencyMs = metrics.histogram(
                MarketDataMetrics.WRITE_LATENCY_MS, new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
        metrics.gauge(MarketDataMetrics.BUFFERED_ROWS, batch::size);
        this.recordsSent = context.metricGroup().getNumRecordsSendCounter();
    }

    /** Called after a batch went into the open transaction. */
    protected abstract void afterBatch(Connection connection) throws SQLException;

    @Override
    public void write(T record, Context context) throws IOException, InterruptedException {
        batch.put(table.key(record), record);
        if (batch.size() >= settings.maxBatchRows()) {
            writeBatch();
        } else if (!flushTimerPending) {
            flushTimerPending = true;
            time.registerTimer(time.getCurrentProcessingTime() + settings.maxBatchDelay().toMillis(), this::onFlushTimer);
        }
    }

    private void onFlushTimer(long timestamp) throws IOException, InterruptedException {
        flushTimerPending = false;
        writeBatch();
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        writeBatch();
    }

    protected final void writeBatch() throws IOException, InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        int upserted;
        try {
            Connection c = connection();
            upserted = writeWaitingForLocks(c);
            afterBatch(c);
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

    /**
     * A row of the batch can be locked by this writer's own transaction of the previous checkpoint, prepared and
     * waiting for the committer, which runs on this same task thread: waiting on the lock here would wait
     * forever. So statements give up after {@link #LOCK_TIMEOUT}, and the writer lets the mailbox run (the
     * checkpoint-complete notification commits the transaction) before it tries the batch again.
     */
    private int writeWaitingForLocks(Connection c) throws SQLException, InterruptedIOException {
        long deadline = System.nanoTime() + LOCK_WAIT_BUDGET.toNanos();
        while (true) {
            try {
                return batchWriter.write(c, batch.values());
            } catch (SQLException e) {
                if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState()) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                if (!mailbox.tryYield()) {
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a row lock on " + table.name());
            }
        }
    }

    protected final Connection connection() throws SQLException {
        if (connection == null) {
            connection = jdbc.connect();
            try (Statement s = connection.createStatement()) {
                s.execute("SET lock_timeout = '" + LOCK_TIMEOUT + "'");
            }
            connection.commit();
        }
        return connection;
    }

    protected final void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // The connection is dropped because it failed or the writer closes; a second failure adds nothing.
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closeConnection();
    }
}
