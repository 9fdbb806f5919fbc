package dev.marketdata.job.sink.internal.writer;

import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.sink.config.JdbcSettings;
import dev.marketdata.job.sink.config.SinkSettings;
import dev.marketdata.job.sink.internal.resilience.CircuitBreaker;
import dev.marketdata.job.sink.internal.resilience.SqlRetrier;
import dev.marketdata.job.sink.internal.resilience.SubtaskBreakers;
import dev.marketdata.job.sink.table.PgBatchWriter;
import dev.marketdata.job.sink.table.PgTable;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers rows into batches (by count and by age) and writes each batch into the connection's transaction;
 * subclasses decide when that transaction ends. Made of parts: the {@link RowBuffer}, the
 * {@link ConnectionHolder}, the {@link WriterMetrics}, the {@link SqlRetrier} behind the subtask's
 * {@link CircuitBreaker}, and the writer's way with {@link RefusedRows}.
 *
 * <p>All work, the age-based flush included, runs on the task thread. A failed write is retried, blocking the
 * task thread (so backpressure reaches the sources) until the retry budget is spent; then the task fails and
 * Flink restores the job from its last checkpoint. Rows the table refuses (data errors) are isolated by
 * {@link PgBatchWriter} and handed to the {@link RefusedRows}.
 */
public abstract class BatchingWriter<T> implements SinkWriter<T> {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingWriter.class);

    private final PgTable<T> table;
    private final SinkSettings settings;
    private final String subject;
    private final PgBatchWriter<T> batchWriter;
    private final RowBuffer<T> batch;
    private final ConnectionHolder connection;
    private final WriterMetrics metrics;
    private final CircuitBreaker breaker;
    private final SubtaskBreakers.Key breakerKey;
    private final SqlRetrier retrier;
    private final ProcessingTimeService time;

    private boolean flushTimerPending;
    private boolean writing;

    BatchingWriter(JdbcSettings jdbc, PgTable<T> table, SinkSettings settings, WriterInitContext context) {
        this(jdbc, table, settings, context, false);
    }

    /** @param keepCopied whether batch results carry their COPY stream ({@link PgBatchWriter.Result#copied}) */
    BatchingWriter(
            JdbcSettings jdbc, PgTable<T> table, SinkSettings settings, WriterInitContext context, boolean keepCopied) {
        this.table = table;
        this.settings = settings;
        this.subject = table.name() + " (subtask " + context.getTaskInfo().getIndexOfThisSubtask() + ")";
        this.batchWriter = new PgBatchWriter<>(table, keepCopied);
        this.batch = new RowBuffer<>(table);
        this.connection = new ConnectionHolder(jdbc);
        this.time = context.getProcessingTimeService();
        this.metrics = new WriterMetrics(context.metricGroup(), table.name(), batch::size);
        this.breaker = new CircuitBreaker(settings.breaker(), System::nanoTime, this::onCircuitTransition);
        metrics.watch(breaker);
        this.breakerKey = SubtaskBreakers.Key.of(context.getJobInfo().getJobId(), table.name(), context.getTaskInfo());
        SubtaskBreakers.register(breakerKey, breaker);
        this.retrier = new SqlRetrier(
                subject,
                settings.retry(),
                breaker,
                metrics.errors(),
                new MailboxWaiter(context.getMailboxExecutor()),
                System::nanoTime,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /** What this writer does with refused rows. */
    abstract RefusedRows refusedRows();

    /** Called in the batch's transaction, after its rows (and any dead letters stored with them) went in. */
    abstract void afterBatch(
            Connection connection, List<T> rows, PgBatchWriter.Result<T> result, List<DeadLetter> lettersInTransaction)
            throws SQLException, IOException;

    /** Called before each attempt at a batch, on the connection it will use. */
    void beforeBatch(Connection connection) throws SQLException, IOException {}

    /** Called when the open transaction was lost (its connection dropped) after a failed attempt. */
    void transactionLost() {}

    final PgTable<T> table() {
        return table;
    }

    final SinkSettings settings() {
        return settings;
    }

    /** What log lines and errors call this writer, e.g. {@code bars (subtask 0)}. */
    final String subject() {
        return subject;
    }

    final PgBatchWriter<T> batchWriter() {
        return batchWriter;
    }

    final ConnectionHolder connection() {
        return connection;
    }

    final WriterMetrics metrics() {
        return metrics;
    }

    final SqlRetrier retrier() {
        return retrier;
    }

    @Override
    public void write(T record, Context context) throws IOException, InterruptedException {
        if (batch.add(record) >= settings.maxBatchRows()) {
            writeBatch();
        } else if (!flushTimerPending) {
            flushTimerPending = true;
            time.registerTimer(
                    time.getCurrentProcessingTime() + settings.maxBatchDelay().toMillis(), this::onFlushTimer);
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

    final void writeBatch() throws IOException, InterruptedException {
        if (batch.isEmpty() || writing) {
            return;
        }
        writing = true;
        try {
            List<T> rows = batch.rows();
            long start = System.nanoTime();
            Written<T> written =
                    retrier.run("write a batch of " + rows.size() + " rows", () -> attempt(rows), this::afterFailure);
            if (!written.letters().isEmpty() && written.inTransaction().isEmpty()) {
                refusedRows().afterBatch(written.letters());
            }
            metrics.batchWritten(
                    rows.size(), written.result(), (System.nanoTime() - start) / 1_000_000, written.letters());
            batch.clear();
        } finally {
            writing = false;
        }
    }

    private Written<T> attempt(List<T> rows) throws SQLException, IOException {
        Connection c = connection.get();
        beforeBatch(c);
        PgBatchWriter.Result<T> result = batchWriter.write(c, rows);
        connection.attemptStarted();
        List<DeadLetter> letters = deadLettersOf(result);
        List<DeadLetter> inTransaction =
                letters.isEmpty() ? List.of() : refusedRows().inTransaction(c, letters);
        afterBatch(c, rows, result, inTransaction);
        connection.attemptEnded();
        return new Written<>(result, letters, inTransaction);
    }

    private List<DeadLetter> deadLettersOf(PgBatchWriter.Result<T> result) throws IOException {
        if (result.rejected().isEmpty()) {
            return List.of();
        }
        refusedRows().check(subject, result);
        long now = System.currentTimeMillis();
        List<DeadLetter> letters = new ArrayList<>(result.rejected().size());
        for (PgBatchWriter.Rejected<T> rejected : result.rejected()) {
            metrics.errors().error(rejected.sqlState());
            letters.add(DeadLetter.refused(
                    table.dataset(),
                    rejected.sqlState(),
                    rejected.message(),
                    Json.toJson(table.json(), rejected.row()),
                    now));
        }
        LOG.warn(
                "{}: {} of {} rows refused by the table and dead-lettered, first with SQLState {}: {} ({} statements)",
                subject,
                letters.size(),
                result.rows(),
                letters.get(0).reason(),
                letters.get(0).message(),
                result.statements());
        return letters;
    }

    private void afterFailure(SQLException e) {
        if (connection.afterFailure(e)) {
            transactionLost();
        }
    }

    private void onCircuitTransition(CircuitBreaker.State from, CircuitBreaker.State to, int failures) {
        metrics.circuitTransition();
        if (to == CircuitBreaker.State.OPEN) {
            LOG.warn(
                    "{}: circuit {} -> {} after {} consecutive failed attempts; no attempt reaches the database for {}",
                    subject,
                    from,
                    to,
                    failures,
                    settings.breaker().coolDown());
        } else {
            LOG.warn("{}: circuit {} -> {}", subject, from, to);
        }
    }

    @Override
    public void close() throws Exception {
        SubtaskBreakers.unregister(breakerKey, breaker);
        if (refusedRows() != null) { // null when a subclass failed to start before it chose
            refusedRows().close();
        }
        connection.close();
    }

    /** A batch as written: what the batch writer did, its refused rows' letters, those stored with the batch. */
    private record Written<T>(
            PgBatchWriter.Result<T> result, List<DeadLetter> letters, List<DeadLetter> inTransaction) {}
}
