package dev.marketdata.job.validate;

import dev.marketdata.job.core.MarketDataMetrics;
import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.json.RecordJson;
import dev.marketdata.job.parse.ParseRecords;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Passes records that meet their data set's rules, with their key identifiers in their canonical spelling
 * ({@link Validator#canonical}), and sends the others, with the rule they broke, to the
 * {@link #REJECTED} side output. Never fails on bad data.
 */
public final class ValidateRecords<T> extends ProcessFunction<T, T> {

    private static final long serialVersionUID = 1L;

    /** Side output of rejected records, on their way to the dead-letter queue. */
    public static final OutputTag<DeadLetter> REJECTED = new OutputTag<DeadLetter>("rejected") {};

    private final String dataset;
    private final Validator<T> validator;
    private final RecordJson<T> json;

    private transient Counter validated;
    private transient Counter canonicalized;
    private transient Map<String, Counter> rejectedByReason;
    private transient MetricGroup group;

    public ValidateRecords(String dataset, Validator<T> validator, RecordJson<T> json) {
        this.dataset = dataset;
        this.validator = validator;
        this.json = json;
    }

    @Override
    public void open(OpenContext openContext) {
        group = getRuntimeContext().getMetricGroup().addGroup(MarketDataMetrics.DATASET_GROUP, dataset);
        validated = group.counter(MarketDataMetrics.RECORDS_VALIDATED);
        canonicalized = group.counter(MarketDataMetrics.RECORDS_CANONICALIZED);
        rejectedByReason = new HashMap<>();
        for (String reason : reasons()) {
            rejectedByReason.put(
                    reason,
                    group.addGroup(MarketDataMetrics.REASON_GROUP, reason).counter(MarketDataMetrics.RECORDS_REJECTED));
        }
    }

    /** The validator's reasons and {@link DeadLetter#INTERNAL_ERROR}. */
    private List<String> reasons() {
        List<String> reasons = new ArrayList<>(validator.reasons());
        reasons.add(DeadLetter.INTERNAL_ERROR);
        return reasons;
    }

    private String recordJson(T record) {
        try {
            return Json.toJson(json, record);
        } catch (RuntimeException e) {
            return null; // the message says what went wrong; a record that cannot be written has no JSON form
        }
    }

    @Override
    public void processElement(T record, Context ctx, Collector<T> out) {
        Violation violation;
        try {
            violation = validator.check(record);
        } catch (RuntimeException e) {
            // A fault of a rule, not of the record; still only this record's problem, never the job's.
            violation = new Violation(DeadLetter.INTERNAL_ERROR, ParseRecords.internalError(e));
        }
        if (violation == null) {
            validated.inc();
            T canonical = validator.canonical(record);
            if (canonical != record) {
                canonicalized.inc();
            }
            out.collect(canonical);
            return;
        }
        rejectedByReason
                .computeIfAbsent(violation.reason(), reason -> group.addGroup(MarketDataMetrics.REASON_GROUP, reason)
                        .counter(MarketDataMetrics.RECORDS_REJECTED))
                .inc();
        ctx.output(
                REJECTED,
                DeadLetter.rejected(
                        dataset,
                        violation.reason(),
                        violation.message(),
                        recordJson(record),
                        ctx.timerService().currentProcessingTime()));
    }
}
