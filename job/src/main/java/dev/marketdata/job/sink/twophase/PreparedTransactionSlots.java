package dev.marketdata.job.sink.twophase;

import static org.apache.flink.util.Preconditions.checkArgument;

import dev.marketdata.job.sink.config.JdbcSettings;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * How many of the server's prepared-transaction slots ({@code max_prepared_transactions}, one per transaction
 * between {@code PREPARE TRANSACTION} and its {@code COMMIT/ROLLBACK PREPARED}, shared by every database of the
 * server) a job needs, and the one line that says so when the server has too few.
 *
 * <p>The need is {@code 2 × sinks × parallelism}, where {@code sinks} counts the job's
 * {@code ExactlyOncePostgresSink}s (one per data set's table, plus the {@code dead_letters} table's with
 * {@code --dlq-destination table}; dead letters the table sinks insert go into their own transactions and
 * prepare nothing of their own). Why two per writer subtask, and not one or three:
 *
 * <ul>
 *   <li>Each writer subtask prepares at most one transaction per checkpoint ({@code TwoPhaseCommitWriter}
 *       prepares when the barrier arrives, and only if it wrote anything), and {@code PgCommitter} commits it
 *       when the checkpoint's completion notice reaches the subtask.
 *   <li>That notice is an RPC from the JobManager, while the next checkpoint's barrier travels through the data
 *       channels: barrier {@code n+1} can reach the writer before the notice of {@code n}, so transaction
 *       {@code n+1} is prepared while {@code n} still is. Two at once.
 *   <li>A third would need barrier {@code n+2} before the notice of {@code n}. Checkpoint {@code n+2} is
 *       triggered only after {@code n+1} completed (Flink runs one checkpoint at a time unless
 *       {@code execution.checkpointing.max-concurrent-checkpoints} is raised), and the notice of {@code n} was
 *       queued in the subtask's mailbox a whole checkpoint earlier; a retrying commit blocks the subtask, so no
 *       barrier overtakes it either.
 *   <li>A restored job first commits the committables its checkpoint holds (the committer does so while it
 *       initialises, before the writer of the same task prepares anything) and rolls back the rest
 *       ({@code TwoPhaseCommitWriter}'s orphans), so a restore, a rescale included, needs no more.
 * </ul>
 *
 * Prepared transactions of other jobs or other applications hold slots too: a job may use only what they leave.
 */
public final class PreparedTransactionSlots {

    /** SQLState of {@code PREPARE TRANSACTION} when every slot is taken ("maximum number of prepared transactions reached"). */
    public static final String SLOTS_EXHAUSTED = "53200";

    /** Prepared transactions one writer subtask of one sink may hold at once: see the class comment. */
    public static final int PER_WRITER_SUBTASK = 2;

    private PreparedTransactionSlots() {}

    /**
     * Slots a job needs at most.
     *
     * @param sinks exactly-once PostgreSQL sinks in the job
     * @param parallelism parallelism of each sink's writer
     */
    public static int needed(int sinks, int parallelism) {
        checkArgument(sinks >= 0 && parallelism > 0, "sinks %s, parallelism %s", sinks, parallelism);
        return PER_WRITER_SUBTASK * sinks * parallelism;
    }

    /**
     * What the server has, seen from one database: its {@code max_prepared_transactions} and how many slots are
     * held by prepared transactions that are not the job's own in this database (any database's).
     *
     * @param max the server's {@code max_prepared_transactions}
     * @param heldByOthers slots taken now by other jobs' (or other applications') prepared transactions
     */
    public record Server(int max, int heldByOthers) {

        /** Reads the numbers, not counting the transactions whose gids start with {@code ownPrefix} in this database. */
        public static Server of(Connection connection, String ownPrefix) throws SQLException {
            int max = PreparedTransactions.maxPreparedTransactions(connection);
            try (PreparedStatement s = connection.prepareStatement("SELECT count(*) FROM pg_prepared_xacts "
                    + "WHERE NOT (database = current_database() AND starts_with(gid, ?))")) {
                s.setString(1, ownPrefix);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return new Server(max, rs.getInt(1));
                }
            }
        }

        public int available() {
            return Math.max(0, max - heldByOthers);
        }
    }

    /**
     * The line that says the job needs more slots than the server leaves it, or empty when it has enough.
     *
     * @param url where the server is, as it may be shown ({@link JdbcSettings#redactedUrl()})
     */
    public static Optional<String> shortage(Server server, int sinks, int parallelism, String url) {
        return needed(sinks, parallelism) <= server.available()
                ? Optional.empty()
                : Optional.of(line(server, sinks, parallelism, url));
    }

    /** The line itself, whatever the numbers: also what a {@code PREPARE} that found no free slot fails with. */
    public static String line(Server server, int sinks, int parallelism, String url) {
        int needed = needed(sinks, parallelism);
        int raiseTo = needed + server.heldByOthers();
        return String.format(
                "exactly-once needs up to %d prepared transactions (%d per writer subtask of each of %d "
                        + "PostgreSQL sink%s at parallelism %d), but the PostgreSQL server at %s has "
                        + "max_prepared_transactions = %d, %d of them held by other prepared transactions. Raise it to "
                        + "at least %d (ALTER SYSTEM SET max_prepared_transactions = %d; then restart the server), "
                        + "lower --parallelism, or run with --delivery at-least-once.",
                needed,
                PER_WRITER_SUBTASK,
                sinks,
                sinks == 1 ? "" : "s",
                parallelism,
                url,
                server.max(),
                server.heldByOthers(),
                raiseTo,
                raiseTo);
    }

    /**
     * {@code PREPARE TRANSACTION} found every slot taken (the server was restarted with fewer, or other jobs took
     * them). Retrying cannot help until someone acts, and neither can restarting the job, so this error is marked
     * for Flink as non-recoverable: the job fails at once, with {@link #line} as its cause, instead of failing
     * every checkpoint for minutes.
     */
    @ThrowableAnnotation(ThrowableType.NonRecoverableError)
    public static final class ExhaustedException extends IOException {

        private static final long serialVersionUID = 1L;

        public ExhaustedException(String line) {
            super(line);
        }
    }
}
