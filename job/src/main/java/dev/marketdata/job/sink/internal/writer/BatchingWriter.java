package dev.marketdata.job.sink.internal.writer;

import dev.marketdata.job.core.MarketDataMetrics;
import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.dlq.DeadLetterDestination;
import dev.marketdata.job.dlq.DeadLetterSettings;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.sink.config.JdbcSettings;
import dev.marketdata.job.sink.config.SinkSettings;
import dev.marketdata.job.sink.internal.resilience.CircuitBreaker;
import dev.marketdata.job.sink.internal.resilience.SqlErrorMetrics;
import dev.marketdata.job.sink.internal.resilience.SqlRetrier;
import dev.marketdata.job.sink.internal.resilience.SubtaskBreakers;
import dev.marketdata.job.sink.table.BrokenTransactionException;
import dev.marketdata.job.sink.table.DeadLetterTable;
import dev.marketdata.job.sink.table.PgBatchWriter;
import dev.marketdata.job.sink.table.PgTable;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers rows into batches (by count and by age), one row per key so a batch never names a key twice, and
 * writes each batch into the connection's transaction; subclasses decide when that transaction ends.
 *
 * <p>All work, the age-based flush included, runs on the task thread. A failed write is retried by a
 * {@link SqlRetrier} behind the subtask's {@link CircuitBreaker}, blocking the task thread (so backpressure
 * reaches the sources) until the retry budget is spent; then the task fails and Flink restores the job from
 * its last checkpoint. Rows the table refuses (data errors) are isolated by {@link PgBatchWriter} and sent to
 * the dead-letter queue: into {@code dead_letters} in the batch's own transaction, or to files (see the
 * subclasses), or, with no dead-letter queue, they fail the task.
 */
public abstract class BatchingWriter<T> implements SinkWriter<T> {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingWriter.class);

    /**
     * How long one statement waits for a row lock before it fails (SQLState 55P03, retried): a row can be locked
     * by this writer's own prepared transaction of the previous checkpoint, whose commit runs on this same task
     * thread, so waiting on the lock would wait forever; between retries the task's mailbox runs the commit.
     */
    static final String LOCK_TIMEOUT = "200ms";

    private static final int LATENCY_WINDOW = 1024;

    protected final JdbcSettings jdbc;
    protected final PgTable<T> table;
    protected final SinkSettings settings;
    protected final DeadLetterSettings deadLetters;
    protected final PgBatchWriter<T> batchWriter;
    private final PgBatchWriter<DeadLetter> deadLetterWriter;
    private final ProcessingTimeService time;
    private final Map<Object, T> batch = new LinkedHashMap<>();
    protected final String subject;

    protected final MetricGroup metrics;
    private final MetricGroup operatorMetrics;
    private final Counter rowsWritten;
    private final Counter rowsUpserted;
    private final Counter batchesWritten;
    private final Counter recordsSent;
    private final Histogram writeLatencyMs;
    private final Counter circuitTransitions;
    private final Map<String, Counter> deadLettersByReason = new HashMap<>();
    protected final SqlErrorMetrics errorMetrics;
    protected final CircuitBreaker breaker;
    protected final SqlRetrier retrier;
    private final SubtaskBreakers.Key breakerKey;

    private Connection connection;
    private boolean flushTimerPending;
    private boolean writing;
    /** The open transaction holds part of an attempt that failed before it ended: it must not be kept. */
    protected boolean partlyWritten;

    /**
     * @param deadLetters where refused rows go; null for nowhere: a refused row fails the task (the sink of the
     *     dead-letter table itself, which has no queue to fall back on)
     */
    BatchingWriter(JdbcSettings jdbc, PgTable<T> table, SinkSettings settings, DeadLetterSettings deadLetters,
            WriterInitContext context) {
        this(jdbc, table, settings, deadLetters, context, false);
    }

    /** @param keepCopied whether batch results carry their COPY stream ({@link PgBatchWriter.Result#copied}) */
    BatchingWriter(JdbcSettings jdbc, PgTable<T> table, SinkSettings settings, DeadLetterSettings deadLetters,
            WriterInitContext context, boolean keepCopied) {
        this.jdbc = jdbc;
        this.table = table;
        this.settings = settings;
        this.deadLetters = deadLetters;
        this.batchWriter = new PgBatchWriter<>(table, keepCopied);
        this.deadLetterWriter = deadLetters != null && deadLetters.destination() == DeadLetterDestination.TABLE
                ? new PgBatchWriter<>(new DeadLetterTable())
                : null;
        this.time = context.getProcessingTimeService();
        this.subject = table.name() + " (subtask " + context.getTaskInfo().getIndexOfThisSubtask() + ")";
        this.operatorMetrics = context.metricGroup();
        this.metrics = context.metricGroup().addGroup(MarketDataMetrics.TABLE_GROUP, table.name());
        this.rowsWritten = metrics.counter(MarketDataMetrics.ROWS_WRITTEN);
        this.rowsUpserted = metrics.counter(MarketDataMetrics.ROWS_UPSERTED);
        this.batchesWritten = metrics.counter(MarketDataMetrics.BATCHES_WRITTEN);
        this.writeLatencyMs = metrics.histogram(
                MarketDataMetrics.WRITE_LATENCY_MS, new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
        metrics.gauge(MarketDataMetrics.BUFFERED_ROWS, batch::size);
        this.recordsSent = context.metricGroup().getNumRecordsSendCounter();
        this.errorMetrics = new SqlErrorMetrics(metrics);
        this.circuitTransitions = metrics.counter(MarketDataMetrics.CIRCUIT_TRANSITIONS);
        this.breaker = new CircuitBreaker(settings.breaker(), System::nanoTime, this::onCircuitTransition);
        metrics.gauge(MarketDataMetrics.CIRCUIT_STATE, () -> breaker.state().code);
        this.breakerKey = SubtaskBreakers.Key.of(context.getJobInfo().getJobId(), table.name(), context.getTaskInfo());
        SubtaskBreakers.register(breakerKey, breaker);
        this.retrier = new SqlRetrier(subject, settings.retry(), breaker, errorMetrics,
                new MailboxWaiter(context.getMailboxExecutor()), System::nanoTime,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /** Called in the batch's transaction, after its rows (and any dead letters for the table) went in. */
    protected abstract void afterBatch(Connection connection, List<T> rows, PgBatchWriter.Result<T> result,
            List<DeadLetter> lettersInTransaction) throws SQLException;

    /** Called once a batch is written, with its refused rows, when dead letters go to files. */
    protected abstract void deadLettersToFiles(List<DeadLetter> letters) throws IOException;

    /** Called before each attempt at a batch, on the connection it will use. */
    protected void beforeBatch(Connection connection) throws SQLException, IOException {}

    /** Called when the open transaction was lost (its connection dropped) after a failed attempt. */
    protected void transactionLost() {}

    @Override
    public void write(T record, Context context) throws IOException, InterruptedException {
        // Keyed at the stored precision: two records PostgreSQL would store under one key are one row here too,
        // and the later one wins (a batch with both would fail with SQLState 21000).
        T stored = table.stored(record);
        batch.put(table.key(stored), stored);
        if (batch.size() >= settings.maxBatchRows()) {
            writeBatch();
        } else if (!flushTimerPending) {
            flushTimerPending = true;
            time.registerTimer(time.getCurrentProcessingTime() + settings.maxBatchDelay().toMillis(), this::onFlushTimer);
        }
    }

    private void onFlushTimer(long timestamp) throws IOException, InterruptedException {
        flushTimerPending = false;
        // While a batch waits to be retried the mailbox runs, and so may this timer: that batch is this batch.
        if (!writing) {
            writeBatch();
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        writeBatch();
    }

    protected final void writeBatch() throws IOException, InterruptedException {
        if (batch.isEmpty() || writing) {
            return;
        }
        writing = true;
        try {
            List<T> rows = new ArrayList<>(batch.values());
            long start = System.nanoTime();
            Written<T> written = retrier.run(
                    "write a batch of " + rows.size() + " rows", () -> attempt(rows), this::afterFailure);
            if (!written.letters().isEmpty() && deadLetterWriter == null) {
                deadLettersToFiles(written.letters());
            }
            writeLatencyMs.update((System.nanoTime() - start) / 1_000_000);
            rowsWritten.inc(written.result().written());
            rowsUpserted.inc(written.result().upserted());
            recordsSent.inc(rows.size());
            batchesWritten.inc();
            for (DeadLetter letter : written.letters()) {
                deadLettersByReason.computeIfAbsent(letter.reason(), reason -> operatorMetrics
                                .addGroup(MarketDataMetrics.DATASET_GROUP, letter.dataset())
                                .addGroup(MarketDataMetrics.REASON_GROUP, reason)
                                .counter(MarketDataMetrics.DEAD_LETTERS))
                        .inc();
            }
            batch.clear();
        } finally {
            writing = false;
        }
    }

    private Written<T> attempt(List<T> rows) throws SQLException, IOException {
        Connection c = connection();
        beforeBatch(c);
        PgBatchWriter.Result<T> result = batchWriter.write(c, rows);
        partlyWritten = true;
        List<DeadLetter> letters = deadLettersOf(result);
        List<DeadLetter> inTransaction = List.of();
        if (!letters.isEmpty() && deadLetterWriter != null) {
            writeDeadLetters(c, letters);
            inTransaction = letters;
        }
        afterBatch(c, rows, result, inTransaction);
        partlyWritten = false;
        return new Written<>(result, letters);
    }

    /** Inserts dead letters into {@code dead_letters} in the open transaction. */
    protected final void writeDeadLetters(Connection c, List<DeadLetter> letters) throws SQLException, IOException {
        PgBatchWriter.Result<DeadLetter> result = deadLetterWriter.write(c, letters);
        if (!result.rejected().isEmpty()) {
            PgBatchWriter.Rejected<DeadLetter> first = result.rejected().get(0);
            throw new IOException(String.format("%s: the table %s refused %d dead letter(s), first with SQLState %s: %s",
                    subject, DeadLetterTable.NAME, result.rejected().size(), first.sqlState(), first.message()));
        }
    }

    private List<DeadLetter> deadLettersOf(PgBatchWriter.Result<T> result) throws IOException {
        if (result.rejected().isEmpty()) {
            return List.of();
        }
        if (deadLetters == null) {
            PgBatchWriter.Rejected<T> first = result.rejected().get(0);
            throw new IOException(String.format("%s refused %d row(s), and this sink has no dead-letter queue; first "
                            + "with SQLState %s: %s", subject, result.rejected().size(), first.sqlState(), first.message()));
        }
        long now = System.currentTimeMillis();
        List<DeadLetter> letters = new ArrayList<>(result.rejected().size());
        for (PgBatchWriter.Rejected<T> rejected : result.rejected()) {
            errorMetrics.error(rejected.sqlState());
            letters.add(new DeadLetter(table.dataset(), DeadLetter.STAGE_WRITE, rejected.sqlState(), rejected.message(),
                    Json.toJson(table.json(), rejected.row()), null, null, null, now));
        }
        LOG.warn("{}: {} of {} rows refused by the table and dead-lettered, first with SQLState {}: {} ({} statements)",
                subject, letters.size(), result.rows(), letters.get(0).reason(), letters.get(0).message(),
                result.statements());
        return letters;
    }

    /**
     * Keeps the connection when the failure left its transaction as it was before the attempt (the batch writer
     * rolled back to its savepoint); drops it otherwise, and the transaction with it.
     */
    protected void afterFailure(SQLException e) {
        boolean keep = !partlyWritten && !(e instanceof BrokenTransactionException) && isOpen(connection)
                && !connectionError(e);
        partlyWritten = false;
        if (!keep) {
            closeConnection();
            transactionLost();
        }
    }

    private static boolean connectionError(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P");
    }

    private static boolean isOpen(Connection c) {
        try {
            return c != null && !c.isClosed();
        } catch (SQLException e) {
            return false;
        }
    }

    private void onCircuitTransition(CircuitBreaker.State from, CircuitBreaker.State to, int failures) {
        circuitTransitions.inc();
        if (to == CircuitBreaker.State.OPEN) {
            LOG.warn("{}: circuit {} -> {} after {} consecutive failed attempts; no attempt reaches the database for {}",
                    subject, from, to, failures, settings.breaker().coolDown());
        } else {
            LOG.warn("{}: circuit {} -> {}", subject, from, to);
        }
    }

    protected final Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = jdbc.connect();
            try (Statement s = c.createStatement()) {
                s.execute("SET lock_timeout = '" + LOCK_TIMEOUT + "'");
                c.commit();
            } catch (SQLException e) {
                closeQuietly(c);
                throw e;
            }
            connection = c;
        }
        return connection;
    }

    protected final void closeConnection() {
        if (connection != null) {
            closeQuietly(connection);
            connection = null;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // The connection is dropped because it failed or the writer closes; a second failure adds nothing.
        }
    }

    @Override
    public void close() throws Exception {
        SubtaskBreakers.unregister(breakerKey, breaker);
        closeConnection();
    }

    /** A batch as written: what the batch writer did, and the dead letters of its refused rows. */
    private record Written<T>(PgBatchWriter.Result<T> result, List<DeadLetter> letters) {}
}
