package dev.marketdata.job.sink.internal.resilience;

import dev.marketdata.job.sink.table.PgBatchWriter;
import java.sql.SQLException;

/**
 * Sorts SQL errors by SQLState into what the sink does about them: wait and retry ({@link Kind#TRANSIENT}),
 * isolate and dead-letter the rows that cause them ({@link Kind#DATA}: the same rows raise them again, so retrying
 * cannot help), or, for anything else ({@link Kind#UNKNOWN}), find out by bisection whether the rows cause it
 * (some rows of the batch go in without it: the others are isolated like data errors) or not (retried within the
 * budget like a transient error); see {@link PgBatchWriter}.
 */
public final class SqlStateClassifier {

    /** What kind of failure an error is. */
    public enum Kind {
        /** The database or the connection is (briefly) unable to serve: retry with backoff. */
        TRANSIENT,
        /**
         * The rows are wrong for the table (a data exception, an integrity violation, two rows with one key in a
         * statement, a row beyond a limit such as an index entry's size): dead-letter them.
         */
        DATA,
        /**
         * Nothing we know: isolated like a data error when some rows of the batch go in without it, else retried
         * like a transient error until the budget is spent, then the task fails.
         */
        UNKNOWN
    }

    /** Label of errors without a SQLState (the driver's own failures) in metrics. */
    public static final String NO_STATE = "none";

    private SqlStateClassifier() {}

    public static Kind classify(SQLException e) {
        return classify(e.getSQLState());
    }

    public static Kind classify(String state) {
        if (state == null || state.length() != 5) {
            return Kind.UNKNOWN;
        }
        String cls = state.substring(0, 2);
        switch (cls) {
            case "08": // connection exception
            case "53": // insufficient resources: disk full, out of memory, too many connections
                return Kind.TRANSIENT;
            case "21": // cardinality violation: e.g. ON CONFLICT DO UPDATE meeting one key twice in one statement
            case "22": // data exception: a value the column cannot take
            case "23": // integrity constraint violation: CHECK, NOT NULL, foreign key, another unique index
            case "54": // program limit exceeded: e.g. an index entry beyond 2,704 bytes
                return Kind.DATA;
            default:
                break;
        }
        switch (state) {
            case "40001": // serialization_failure
            case "40P01": // deadlock_detected
            case "40003": // statement_completion_unknown
            case "55P03": // lock_not_available: our lock_timeout expired
            case "57P01": // admin_shutdown
            case "57P02": // crash_shutdown
            case "57P03": // cannot_connect_now: starting up or shutting down
                return Kind.TRANSIENT;
            default:
                return Kind.UNKNOWN;
        }
    }

    /**
     * Whether the error is contention between transactions (a lock timeout, a serialization failure, a
     * deadlock): transient, but proof that the database is up and answering.
     */
    public static boolean isContention(String state) {
        return "55P03".equals(state) || "40001".equals(state) || "40P01".equals(state);
    }

    public static boolean isDataError(SQLException e) {
        return classify(e) == Kind.DATA;
    }

    /** The SQLState's class (its first two characters, e.g. {@code 08}), the label of error metrics. */
    public static String classLabel(String state) {
        return state == null || state.length() < 2 ? NO_STATE : state.substring(0, 2);
    }
}
