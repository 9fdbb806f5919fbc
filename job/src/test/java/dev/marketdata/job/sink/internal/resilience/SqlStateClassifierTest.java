package dev.marketdata.job.sink.internal.resilience;

import static dev.marketdata.job.sink.internal.resilience.SqlStateClassifier.Kind.DATA;
import static dev.marketdata.job.sink.internal.resilience.SqlStateClassifier.Kind.TRANSIENT;
import static dev.marketdata.job.sink.internal.resilience.SqlStateClassifier.Kind.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlStateClassifierTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "08000, TRANSIENT", // connection_exception
        "08001, TRANSIENT", // the server is not there
        "08006, TRANSIENT", // connection_failure (the driver's I/O error)
        "08P01, TRANSIENT", // protocol_violation
        "40001, TRANSIENT", // serialization_failure
        "40P01, TRANSIENT", // deadlock_detected
        "53100, TRANSIENT", // disk_full
        "53300, TRANSIENT", // too_many_connections
        "55P03, TRANSIENT", // lock_not_available (lock_timeout)
        "57P01, TRANSIENT", // admin_shutdown
        "57P02, TRANSIENT", // crash_shutdown
        "57P03, TRANSIENT", // cannot_connect_now
        "22001, DATA", // string_data_right_truncation
        "22021, DATA", // character_not_in_repertoire (a NUL in text)
        "22P02, DATA", // invalid_text_representation
        "23502, DATA", // not_null_violation
        "23503, DATA", // foreign_key_violation
        "23505, DATA", // unique_violation on another index than the upsert's key
        "23514, DATA", // check_violation
        "21000, DATA", // cardinality_violation: one key twice in one INSERT .. ON CONFLICT DO UPDATE
        "22008, DATA", // datetime_field_overflow (a time outside timestamptz)
        "22P05, DATA", // untranslatable_character (\u0000 in jsonb)
        "54000, DATA", // program_limit_exceeded: an index entry beyond 2,704 bytes
        "40002, UNKNOWN", // transaction_integrity_constraint_violation: not row data
        "42P01, UNKNOWN", // undefined_table
        "42501, UNKNOWN", // insufficient_privilege
        "57014, UNKNOWN", // query_canceled
        "XX000, UNKNOWN", // internal_error
    })
    void classifiesBySqlState(String state, SqlStateClassifier.Kind kind) {
        assertThat(SqlStateClassifier.classify(state)).isEqualTo(kind);
        assertThat(SqlStateClassifier.classify(new SQLException("x", state))).isEqualTo(kind);
    }

    @ParameterizedTest
    @CsvSource(
            value = {"NULL", "''", "0800"},
            nullValues = "NULL")
    void anErrorWithoutAProperSqlStateIsUnknown(String state) {
        assertThat(SqlStateClassifier.classify(state)).isEqualTo(UNKNOWN);
    }

    @ParameterizedTest
    @CsvSource(
            value = {"08006, 08", "23514, 23", "57P01, 57", "NULL, none"},
            nullValues = "NULL")
    void labelsErrorsByTheirClass(String state, String label) {
        assertThat(SqlStateClassifier.classLabel(state)).isEqualTo(label);
    }

    @ParameterizedTest
    @CsvSource({"23514, true", "22021, true", "08006, false", "42P01, false"})
    void dataErrorsAreTheOnesToDeadLetter(String state, boolean data) {
        assertThat(SqlStateClassifier.isDataError(new SQLException("x", state))).isEqualTo(data);
        assertThat(SqlStateClassifier.classify(state) == DATA).isEqualTo(data);
        assertThat(SqlStateClassifier.classify(state) == TRANSIENT).isEqualTo(state.startsWith("08"));
    }
}
