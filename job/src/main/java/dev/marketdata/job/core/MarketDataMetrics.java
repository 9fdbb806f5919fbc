package dev.marketdata.job.core;

/**
 * Names of the metrics this job registers, on top of Flink's built-in ones. Flink's Prometheus reporter exports
 * each as {@code flink_taskmanager_job_task_operator_<group keys>_<name>}, e.g.
 * {@code flink_taskmanager_job_task_operator_dataset_reason_recordsRejected{dataset="bars",reason="HIGH_BELOW_LOW",
 * job_name=...,subtask_index=...}}: group keys join the name, their values and the scope become labels.
 */
public final class MarketDataMetrics {

    private MarketDataMetrics() {}

    /** Group under the parse and validation operators; its value (label {@code dataset}) names the data set. */
    public static final String DATASET_GROUP = "dataset";

    /** Counter: Kafka values parsed into records. */
    public static final String RECORDS_PARSED = "recordsParsed";

    /**
     * Counter under the key group {@code reason}: Kafka values that did not parse, one counter per reason code
     * ({@code NOT_JSON}, {@code MISSING_FIELD}, {@code WRONG_TYPE}).
     */
    public static final String PARSE_FAILURES = "parseFailures";

    /** Counter: records that passed validation. */
    public static final String RECORDS_VALIDATED = "recordsValidated";

    /**
     * Counter: valid records stored under another spelling of an identifier in their key than the one they came
     * with (e.g. {@code O:AAPL240315C00180000} as {@code AAPL240315C00180000}, {@code BRK B} as {@code BRK.B}; see
     * {@code docs/identifiers.md}). Counted in {@link #RECORDS_VALIDATED} too.
     */
    public static final String RECORDS_CANONICALIZED = "recordsCanonicalized";

    /** Counter under the key group {@code reason}: records rejected by validation, one counter per reason code. */
    public static final String RECORDS_REJECTED = "recordsRejected";

    /** Key of the group that labels rejections and dead letters with their reason. */
    public static final String REASON_GROUP = "reason";

    /** Group under the sink writer; its value (label {@code table}) names the table. */
    public static final String TABLE_GROUP = "table";

    /** Counter: rows written to the table (after de-duplication within a batch). */
    public static final String ROWS_WRITTEN = "rowsWritten";

    /** Counter: rows that hit an existing key and were written by the upsert fallback instead of plain COPY. */
    public static final String ROWS_UPSERTED = "rowsUpserted";

    /** Counter: batches written. */
    public static final String BATCHES_WRITTEN = "batchesWritten";

    /** Histogram: milliseconds to write one batch (COPY and, when needed, the upsert fallback). */
    public static final String WRITE_LATENCY_MS = "writeLatencyMs";

    /** Gauge: rows waiting in the writer's buffer for the next batch. */
    public static final String BUFFERED_ROWS = "bufferedRows";

    /** Counter (exactly-once writer): transactions prepared, one per writer subtask and checkpoint with rows. */
    public static final String TRANSACTIONS_PREPARED = "transactionsPrepared";

    /** Counter (exactly-once committer): prepared transactions committed. */
    public static final String TRANSACTIONS_COMMITTED = "transactionsCommitted";

    /** Counter (exactly-once committer): committables found already committed when replayed after a restore. */
    public static final String TRANSACTIONS_ALREADY_COMMITTED = "transactionsAlreadyCommitted";

    /** Counter (exactly-once writer): prepared transactions of an earlier run that no checkpoint named, rolled back. */
    public static final String ORPHANS_ROLLED_BACK = "orphanTransactionsRolledBack";

    /** Counter under the key groups {@code dataset} and {@code reason}: records sent to the dead-letter queue. */
    public static final String DEAD_LETTERS = "deadLetters";

    /** Counter (sink writer and committer): attempts retried after a transient or unknown SQL error. */
    public static final String RETRIES = "retries";

    /** Key of the group that labels SQL errors with their SQLState class, e.g. {@code 08} or {@code 23}. */
    public static final String SQL_STATE_CLASS_GROUP = "sqlStateClass";

    /**
     * Counter under the key group {@code sqlStateClass}: SQL errors the sink met, one per failed attempt (retried
     * or not) and one per row isolated and dead-lettered for a data error; {@code none} when the driver gave no
     * SQLState.
     */
    public static final String SQL_ERRORS = "sqlErrors";

    /** Gauge (sink writer): the circuit breaker's state, 0 closed, 1 open, 2 half-open. */
    public static final String CIRCUIT_STATE = "circuitState";

    /** Counter (sink writer): changes of the circuit breaker's state. */
    public static final String CIRCUIT_TRANSITIONS = "circuitTransitions";
}
