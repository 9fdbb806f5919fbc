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

    /** unique_violation: a batch's {@code COPY} met an existing key; the batch is upserted instead. */
    public static final String UNIQUE_VIOLATION = "23505";

    /** lock_not_available: our {@code lock_timeout} expired. */
    public static final String LOCK_NOT_AVAILABLE = "55P03";

    /** undefined_object: e.g. {@code COMMIT PREPARED} of a transaction that is not (or no longer) prepared. */
    public static final String UNDEFINED_OBJECT = "42704";

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
        return LOCK_NOT_AVAILABLE.equals(state) || "40001".equals(state) || "40P01".equals(state);
    }

    /**
     * Whether the error is one of the connection, the transaction or the operator (class 08, 25, 40, 57), never
     * the rows': after it the open transaction cannot go on. A null SQLState is the driver's own failure, an I/O
     * error most often.
     */
    public static boolean breaksTransaction(String state) {
        return state == null
                || state.startsWith("08")
                || state.startsWith("25")
                || state.startsWith("40")
                || state.startsWith("57");
    }

    /**
     * Whether the connection is gone or going (class 08, or 57P: the server shuts down or cannot take
     * connections yet), or the driver failed without a SQLState: the connection must be dropped.
     */
    public static boolean losesConnection(String state) {
        return state == null || state.startsWith("08") || state.startsWith("57P");
    }

    public static boolean isDataError(SQLException e) {
        return classify(e) == Kind.DATA;
    }

    /** The SQLState's class (its first two characters, e.g. {@code 08}), the label of error metrics. */
    public static String classLabel(String state) {
        return state == null || state.length() < 2 ? NO_STATE : state.substring(0, 2);
    }
}
