package dev.marketdata.job.sink.internal.writer;

import dev.marketdata.job.sink.table.PgTable;
import dev.marketdata.job.sink.table.RowKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows by their key in the table, the last of each key winning, in the order their keys first came: a batch
 * never names a key twice (which would fail with SQLState 21000).
 */
final class RowBuffer<T> {

    private final PgTable<T> table;
    private final Map<RowKey, T> rows = new LinkedHashMap<>();

    RowBuffer(PgTable<T> table) {
        this.table = table;
    }

    /**
     * Adds a record as the table stores it: keyed at the stored precision, two records PostgreSQL would store
     * under one key are one row here too, and the later one wins.
     *
     * @return the rows now buffered
     */
    int add(T record) {
        return addStored(table.stored(record));
    }

    /** Adds a row already in its stored form. */
    int addStored(T row) {
        rows.put(table.key(row), row);
        return rows.size();
    }

    int size() {
        return rows.size();
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** A copy of the rows, in order. */
    List<T> rows() {
        return new ArrayList<>(rows.values());
    }

    void clear() {
        rows.clear();
    }
}
