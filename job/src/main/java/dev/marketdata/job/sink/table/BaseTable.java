package dev.marketdata.job.sink.table;

import java.util.List;

/** What every table description shares: its name, the data set it stores, its columns and its key. */
public abstract class BaseTable<T> implements PgTable<T> {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final String dataset;
    private final List<String> columns;
    private final List<String> keyColumns;

    /**
     * @param name the table; tests and benchmarks may write a data set into a table of another name
     * @param dataset the data set, as dead letters and their folders name it, whatever the table is called
     */
    protected BaseTable(String name, String dataset, List<String> columns, List<String> keyColumns) {
        this.name = name;
        this.dataset = dataset;
        this.columns = List.copyOf(columns);
        this.keyColumns = List.copyOf(keyColumns);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String dataset() {
        return dataset;
    }

    @Override
    public final List<String> columns() {
        return columns;
    }

    @Override
    public final List<String> keyColumns() {
        return keyColumns;
    }
}
