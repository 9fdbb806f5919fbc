package dev.marketdata.job.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Why a test asks {@link PostgresTestDatabase#preparedTransactions()}, never {@code pg_prepared_xacts} as a whole:
 * the server is shared with every other test running at the same time (other test classes, other worktrees), and
 * their jobs' prepared transactions are visible server-wide. A crash test's killed run, say, leaves one per writer
 * subtask until its restored run rolls them back, seconds later on a loaded machine; a test asserting "no prepared
 * transactions" over the whole server in that window fails for a transaction that is not its own.
 */
class PostgresTestDatabaseITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    /** Stands for another test's database on the same server; its clean-up rolls back what is left there. */
    @RegisterExtension
    static final PostgresTestDatabase OTHER = new PostgresTestDatabase();

    @Test
    void preparedTransactionsAreOnlyThoseOfTheTestsOwnDatabase() throws Exception {
        OTHER.execute("CREATE TABLE t (x int)");
        // What a killed run of the same job leaves in its own database: one per table and writer subtask.
        List<String> othersGids = new ArrayList<>();
        for (String table : List.of("bars", "option_quotes", "fundamentals", "news")) {
            for (int subtask = 0; subtask < 2; subtask++) {
                String gid = "mds:kafka-crash-test:" + OTHER.name() + ":" + table + ":" + subtask + ":5";
                try (Connection c = OTHER.connect();
                        Statement s = c.createStatement()) {
                    c.setAutoCommit(false);
                    s.execute("INSERT INTO t VALUES (" + subtask + ")");
                    s.execute("PREPARE TRANSACTION '" + gid + "'");
                }
                othersGids.add(gid);
            }
        }

        assertThat(DB.rows("SELECT gid FROM pg_prepared_xacts")).containsAll(othersGids);
        assertThat(DB.preparedTransactions()).isEmpty();
        assertThat(OTHER.preparedTransactions()).containsExactlyInAnyOrderElementsOf(othersGids);
    }
}
