package dev.marketdata.job.sink.internal.writer;

import dev.marketdata.job.core.MarketDataMetrics;
import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.dlq.DeadLetterCounters;
import dev.marketdata.job.sink.internal.resilience.Breaker;
import dev.marketdata.job.sink.internal.resilience.SqlErrorMetrics;
import dev.marketdata.job.sink.table.PgBatchWriter;
import java.util.List;
import java.util.function.IntSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * Every metric a sink writer registers (names in {@link MarketDataMetrics}): under the operator's
 * {@code table} group the rows, batches, latency, buffer, circuit breaker and SQL errors; under its
 * {@code dataset}/{@code reason} groups the dead letters of refused rows, counted like those of the side output.
 */
final class WriterMetrics {

    private static final int LATENCY_WINDOW = 1024;

    private final MetricGroup table;
    private final Counter rowsWritten;
    private final Counter rowsUpserted;
    private final Counter batchesWritten;
    private final Counter recordsSent;
    private final Histogram writeLatencyMs;
    private final Counter circuitTransitions;
    private final SqlErrorMetrics errors;
    private final DeadLetterCounters deadLetters;

    /** @param operator the writer operator's metric group */
    WriterMetrics(SinkWriterMetricGroup operator, String tableName, IntSupplier bufferedRows) {
        this.table = operator.addGroup(MarketDataMetrics.TABLE_GROUP, tableName);
        this.rowsWritten = table.counter(MarketDataMetrics.ROWS_WRITTEN);
        this.rowsUpserted = table.counter(MarketDataMetrics.ROWS_UPSERTED);
        this.batchesWritten = table.counter(MarketDataMetrics.BATCHES_WRITTEN);
        this.writeLatencyMs =
                table.histogram(MarketDataMetrics.WRITE_LATENCY_MS, new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
        table.gauge(MarketDataMetrics.BUFFERED_ROWS, bufferedRows::getAsInt);
        this.recordsSent = operator.getNumRecordsSendCounter();
        this.errors = new SqlErrorMetrics(table);
        this.circuitTransitions = table.counter(MarketDataMetrics.CIRCUIT_TRANSITIONS);
        this.deadLetters = new DeadLetterCounters(operator);
    }

    /** The gauge of the breaker's state ({@code circuitState}). */
    void watch(Breaker breaker) {
        table.gauge(MarketDataMetrics.CIRCUIT_STATE, () -> breaker.state().code);
    }

    /** Counters of this writer's own, e.g. the exactly-once writer's transactions, under the table group. */
    Counter counter(String name) {
        return table.counter(name);
    }

    SqlErrorMetrics errors() {
        return errors;
    }

    void circuitTransition() {
        circuitTransitions.inc();
    }

    void batchWritten(int records, PgBatchWriter.Result<?> result, long latencyMs, List<DeadLetter> letters) {
        writeLatencyMs.update(latencyMs);
        rowsWritten.inc(result.written());
        rowsUpserted.inc(result.upserted());
        recordsSent.inc(records);
        batchesWritten.inc();
        letters.forEach(deadLetters::count);
    }
}
