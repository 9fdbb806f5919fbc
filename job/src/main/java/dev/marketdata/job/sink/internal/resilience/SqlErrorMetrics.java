package dev.marketdata.job.sink.internal.resilience;

import dev.marketdata.job.core.MarketDataMetrics;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** The sink's error counters: retries, and SQL errors by SQLState class (each class registered on first sight). */
public final class SqlErrorMetrics {

    private final MetricGroup group;
    private final Counter retries;
    private final Map<String, Counter> errorsByClass = new HashMap<>();

    public SqlErrorMetrics(MetricGroup group) {
        this.group = group;
        this.retries = group.counter(MarketDataMetrics.RETRIES);
    }

    public void retried() {
        retries.inc();
    }

    public void error(String sqlState) {
        errorsByClass
                .computeIfAbsent(SqlStateClassifier.classLabel(sqlState), label -> group.addGroup(
                                MarketDataMetrics.SQL_STATE_CLASS_GROUP, label)
                        .counter(MarketDataMetrics.SQL_ERRORS))
                .inc();
    }
}
