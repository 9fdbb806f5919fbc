package dev.marketdata.job.sink.table;

import dev.marketdata.job.json.RecordJson;
import java.io.Serializable;
import java.util.Comparator;
import java.util.List;

/**
 * How one data set's records map to its table: the columns, the natural key that makes writes idempotent, and
 * the row encoding for {@code COPY}.
 */
public interface PgTable<T> extends Serializable {

    String name();

    /** The data set its rows belong to, as dead letters name it; the table's name unless it says otherwise. */
    default String dataset() {
        return name();
    }

    /** Columns in the order {@link #writeRow} writes them; also the record's JSON field names. */
    List<String> columns();

    /** The primary key: the conflict target of the upsert. */
    List<String> keyColumns();

    /**
     * The record's natural key at the stored precision (times truncated to microseconds): two records with equal
     * keys are the same row, so a batch holds one of them only (PostgreSQL refuses two with SQLState 21000).
     */
    RowKey key(T record);

    /**
     * The record as the table stores it: its times truncated toward the past to microseconds (see
     * {@link dev.marketdata.job.validate.StoredDomain#atStoredPrecision}); the record itself when nothing changes.
     * The sink keys, copies and upserts this form, so all paths store the same value.
     */
    default T stored(T record) {
        return record;
    }

    /**
     * The order in which a batch's rows go into {@code COPY}, or null for arrival order: the primary key's order
     * puts each key's rows next to each other, so consecutive inserts land on the same index leaf (measured in
     * docs/benchmark.md). Only the statement's row order changes: bisection and dead letters keep arrival order.
     */
    default Comparator<T> copyOrder() {
        return null;
    }

    /** Writes one row of {@link #columns()}. */
    void writeRow(T record, PgBinaryCopyBuffer out);

    /** The record's JSON form, whose field names are {@link #columns()}; used by the upsert fallback. */
    RecordJson<T> json();
}
