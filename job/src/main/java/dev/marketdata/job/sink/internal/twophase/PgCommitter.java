package dev.marketdata.job.sink.internal.twophase;

import dev.marketdata.job.core.MarketDataMetrics;
import dev.marketdata.job.dlq.StagedDeadLetters;
import dev.marketdata.job.sink.config.JdbcSettings;
import dev.marketdata.job.sink.config.RetryPolicy;
import dev.marketdata.job.sink.internal.resilience.Breaker;
import dev.marketdata.job.sink.internal.resilience.SqlErrorMetrics;
import dev.marketdata.job.sink.internal.resilience.SqlRetrier;
import dev.marketdata.job.sink.internal.resilience.SubtaskBreakers;
import dev.marketdata.job.sink.twophase.PgTransaction;
import dev.marketdata.job.sink.twophase.PreparedTransactions;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the prepared transactions of completed checkpoints ({@code COMMIT PREPARED}), idempotently: one
 * already committed (before a crash, say) is not an error. Then it publishes the transaction's staged dead
 * letters, if any.
 *
 * <p>A failing commit is retried here, with backoff, until the retry budget is spent, and then fails the task
 * (the restored job commits the same transaction again). It does not use {@link CommitRequest#retryLater()}:
 * Flink 2.2 retries those at once, {@code sink.committer.retries} times (10) without any delay, which a database
 * outage would exhaust in milliseconds.
 */
public final class PgCommitter implements Committer<PgTransaction> {

    private static final Logger LOG = LoggerFactory.getLogger(PgCommitter.class);

    private final JdbcSettings jdbc;
    private final RetryPolicy retry;
    private final String subject;
    private final SubtaskBreakers.Key breakerKey;
    private final SqlErrorMetrics errorMetrics;
    private final Counter committed;
    private final Counter alreadyCommitted;
    private Connection connection;

    /**
     * @param breakerKey where to find the circuit breaker of this subtask's writer, or null to use none
     */
    public PgCommitter(
            JdbcSettings jdbc, RetryPolicy retry, String subject, SubtaskBreakers.Key breakerKey, MetricGroup metrics) {
        this.jdbc = jdbc;
        this.retry = retry;
        this.subject = subject;
        this.breakerKey = breakerKey;
        this.errorMetrics = new SqlErrorMetrics(metrics);
        this.committed = metrics.counter(MarketDataMetrics.TRANSACTIONS_COMMITTED);
        this.alreadyCommitted = metrics.counter(MarketDataMetrics.TRANSACTIONS_ALREADY_COMMITTED);
    }

    @Override
    public void commit(Collection<CommitRequest<PgTransaction>> requests) throws IOException, InterruptedException {
        Breaker breaker = breakerKey == null ? Breaker.NONE : SubtaskBreakers.find(breakerKey);
        SqlRetrier retrier = new SqlRetrier(
                subject,
                retry,
                breaker,
                errorMetrics,
                (nanos, runMailbox) -> TimeUnit.NANOSECONDS.sleep(nanos),
                System::nanoTime,
                () -> ThreadLocalRandom.current().nextDouble());
        for (CommitRequest<PgTransaction> request : requests) {
            PgTransaction transaction = request.getCommittable();
            String gid = transaction.gid();
            boolean committedNow =
                    retrier.run("commit " + gid, () -> PreparedTransactions.commit(connection(), gid), e -> close());
            if (committedNow) {
                committed.inc();
            } else {
                // Committed before a failure, and now replayed from the checkpoint.
                LOG.info("{} was already committed", gid);
                alreadyCommitted.inc();
                request.signalAlreadyCommitted();
            }
            if (transaction.deadLetterFile() != null && !StagedDeadLetters.publish(transaction.deadLetterFile())) {
                LOG.error(
                        "The dead letters of {} are missing: neither {} nor its published name exists",
                        gid,
                        transaction.deadLetterFile());
            }
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = jdbc.connect();
            // COMMIT PREPARED cannot run inside a transaction block.
            connection.setAutoCommit(true);
        }
        return connection;
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closing a failed connection.
            }
            connection = null;
        }
    }
}
