package dev.marketdata.job.dlq;

import dev.marketdata.job.core.MarketDataMetrics;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The {@code deadLetters} counters of one operator, one per data set and reason: made on first sight, since
 * reasons are open-ended (SQLStates, parse errors). Used by the dead-letter side output ({@link CountDeadLetters})
 * and by the sink writers for the rows their tables refuse, so both count under the same names and labels.
 */
public final class DeadLetterCounters {

    private final MetricGroup operator;
    private final Map<String, Counter> counters = new HashMap<>();

    /** @param operator the operator's metric group; the counters go under its {@code dataset} and {@code reason} groups */
    public DeadLetterCounters(MetricGroup operator) {
        this.operator = operator;
    }

    public void count(DeadLetter letter) {
        counters.computeIfAbsent(letter.dataset() + '\u0000' + letter.reason(), k -> operator.addGroup(
                                MarketDataMetrics.DATASET_GROUP, letter.dataset())
                        .addGroup(MarketDataMetrics.REASON_GROUP, letter.reason())
                        .counter(MarketDataMetrics.DEAD_LETTERS))
                .inc();
    }
}
