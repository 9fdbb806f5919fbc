package dev.marketdata.job.sink.table;

import java.sql.SQLException;

/**
 * A statement failed and the transaction could not even be rolled back to the savepoint before it: the
 * connection is most likely gone, and with it the open transaction. Carries the first error's SQLState.
 */
public final class BrokenTransactionException extends SQLException {

    private static final long serialVersionUID = 1L;

    BrokenTransactionException(SQLException cause, SQLException rollbackFailure) {
        super("the transaction is lost: " + cause.getMessage(), cause.getSQLState(), cause);
        addSuppressed(rollbackFailure);
    }
}
