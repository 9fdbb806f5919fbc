package dev.marketdata.job;

import dev.marketdata.job.cli.JobSettings;
import dev.marketdata.job.core.Delivery;
import dev.marketdata.job.dlq.DeadLetterRoute;
import dev.marketdata.job.sink.twophase.PreparedTransactionSlots;
import dev.marketdata.job.sink.twophase.PreparedTransactions;
import dev.marketdata.job.sink.twophase.TransactionIds;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a start checks in the database before it submits the job. Both ways of starting run these: {@code
 * bin/run-local} ({@link dev.marketdata.job.local.LocalRunner}) and {@code flink run} ({@link MarketDataJob#main},
 * which every Flink deployment runs, the web UI's and the application mode's included). Each check answers with
 * one line for the user, or null when the start may go on.
 */
public final class StartChecks {

    private StartChecks() {}

    /**
     * The exactly-once PostgreSQL sinks the job has: one per data set's table, and the {@code dead_letters}
     * table's when dead letters go there (not to a Kafka topic); none with at-least-once delivery.
     */
    public static int exactlyOnceSinks(JobSettings settings) {
        if (settings.delivery() != Delivery.EXACTLY_ONCE) {
            return 0;
        }
        boolean deadLetterTable = settings.deadLetters() instanceof DeadLetterRoute.Table;
        return settings.datasets().size() + (deadLetterTable ? 1 : 0);
    }

    /**
     * Why the database cannot give the chosen delivery guarantee: prepared transactions off, or fewer free slots
     * than the job needs at this parallelism ({@link PreparedTransactionSlots}); null when it can.
     *
     * @param parallelism the job's parallelism; 0 or less when the client cannot know it (the cluster's default
     *     applies), then counted as 1, what the job needs at least
     * @throws SQLException when the database cannot be asked
     */
    public static String whyDeliveryIsImpossible(JobSettings settings, int parallelism) throws SQLException {
        int sinks = exactlyOnceSinks(settings);
        if (sinks == 0) {
            return null;
        }
        try (Connection c = settings.jdbc().connect()) {
            if (PreparedTransactions.maxPreparedTransactions(c) == 0) {
                return PreparedTransactions.whyExactlyOnceIsImpossible(settings.jdbc());
            }
            String own = TransactionIds.jobPrefix(settings.jobName(), PreparedTransactions.currentDatabase(c));
            return PreparedTransactionSlots.shortage(
                            PreparedTransactionSlots.Server.of(c, own),
                            sinks,
                            Math.max(1, parallelism),
                            settings.jdbc().redactedUrl())
                    .orElse(null);
        }
    }

    /**
     * Whether a start that restores no checkpoint would lose committed work, and so must not run.
     *
     * <p>Prepared transactions of this job (its {@code --job-name}) in this database are left by a run that
     * stopped between a checkpoint and its commit: a crash, or a database that refused the committer. That
     * checkpoint may have completed, and with it the sources' own commits (Kafka offsets of the consumer group),
     * so those rows exist nowhere else any more. Only a restore of that checkpoint commits them; a fresh start
     * would roll them back (as {@code TwoPhaseCommitWriter} must on a start without a checkpoint) and read on
     * past them. So a fresh start refuses while there are any, unless told to discard them.
     *
     * @param restoring whether the start restores a checkpoint or savepoint: then the writers sort the leftovers
     *     out themselves (commit what it covers, roll back the rest), and nothing is checked here
     * @param discard roll the leftovers back and go on ({@code --discard-prepared-transactions})
     * @param say where to report each transaction discarded
     * @return the line refusing the start, or null when it may go on
     * @throws SQLException when the database cannot be asked
     */
    public static String whyAFreshStartIsRefused(
            JobSettings settings, boolean restoring, boolean discard, Consumer<String> say) throws SQLException {
        if (restoring) {
            return null;
        }
        try (Connection c = settings.jdbc().connect()) {
            // ROLLBACK PREPARED cannot run inside a transaction block.
            c.setAutoCommit(true);
            String database = PreparedTransactions.currentDatabase(c);
            List<String> leftovers =
                    PreparedTransactions.list(c, TransactionIds.jobPrefix(settings.jobName(), database));
            if (leftovers.isEmpty()) {
                return null;
            }
            if (discard) {
                for (String gid : leftovers) {
                    if (PreparedTransactions.rollback(c, gid)) {
                        say.accept("Rolled back " + gid + ", prepared by an earlier run and never committed "
                                + "(--discard-prepared-transactions): its rows are discarded");
                    }
                }
                return null;
            }
            return String.format(
                    "%d prepared transaction%s of job '%s' in database %s (%s) %s never committed: the "
                            + "run that prepared %s stopped before its commit, after a checkpoint that may cover %s "
                            + "(its source positions already past those rows), so a fresh start would lose %s. Resume "
                            + "with --restore latest (flink run: -s <its last checkpoint>), which commits what that "
                            + "checkpoint covers, or discard %s with --discard-prepared-transactions.",
                    leftovers.size(),
                    leftovers.size() == 1 ? "" : "s",
                    settings.jobName(),
                    database,
                    shortList(leftovers),
                    leftovers.size() == 1 ? "was" : "were",
                    leftovers.size() == 1 ? "it" : "them",
                    leftovers.size() == 1 ? "it" : "them",
                    leftovers.size() == 1 ? "its rows" : "their rows",
                    leftovers.size() == 1 ? "it" : "them");
        }
    }

    private static String shortList(List<String> gids) {
        int shown = Math.min(3, gids.size());
        return String.join(", ", gids.subList(0, shown)) + (gids.size() > shown ? ", ..." : "");
    }
}
