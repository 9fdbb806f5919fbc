package dev.marketdata.job.dlq;

import dev.marketdata.job.core.MarketDataMetrics;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** Counts dead letters by data set and reason on their way into the dead-letter sink. */
public final class CountDeadLetters extends RichMapFunction<DeadLetter, DeadLetter> {

    private static final long serialVersionUID = 1L;

    private transient MetricGroup group;
    private transient Map<String, Counter> counters;

    @Override
    public void open(OpenContext openContext) {
        group = getRuntimeContext().getMetricGroup();
        counters = new HashMap<>();
    }

    @Override
    public DeadLetter map(DeadLetter letter) {
        // Reasons are open-ended (SQLStates, parse errors), so counters are made on first sight, once each.
        counters.computeIfAbsent(letter.dataset() + '\u0000' + letter.reason(), k -> group
                        .addGroup(MarketDataMetrics.DATASET_GROUP, letter.dataset())
                        .addGroup(MarketDataMetrics.REASON_GROUP, letter.reason())
                        .counter(MarketDataMetrics.DEAD_LETTERS))
                .inc();
        return letter;
    }
}
