package dev.marketdata.job.parse;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.core.MarketDataMetrics;
import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.json.JsonFieldException;
import dev.marketdata.job.json.RecordJson;
import dev.marketdata.job.kafka.KafkaMessage;
import java.io.IOException;
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
 * Turns Kafka values into records of one data set with its {@link RecordJson}, and sends every value that is not
 * such a record (not JSON, a required field missing, a field of the wrong type) to the {@link #UNPARSEABLE} side
 * output, with its raw bytes and its topic, partition and offset. Never fails on bad data.
 */
public final class ParseRecords<T> extends ProcessFunction<KafkaMessage, T> {

    private static final long serialVersionUID = 1L;

    /** Side output of values that did not parse, on their way to the dead-letter queue. */
    public static final OutputTag<DeadLetter> UNPARSEABLE = new OutputTag<DeadLetter>("unparseable") {};

    /** Reason code: the value is not one JSON document (or not UTF-8, or null). */
    public static final String NOT_JSON = "NOT_JSON";

    /** Every reason code a value can be rejected with. */
    public static final List<String> REASONS = List.of(
            NOT_JSON,
            JsonFieldException.MISSING_FIELD,
            JsonFieldException.WRONG_TYPE,
            JsonFieldException.LEAP_SECOND,
            DeadLetter.INTERNAL_ERROR);

    private final String dataset;
    private final RecordJson<T> json;

    private transient Counter parsed;
    private transient Map<String, Counter> failuresByReason;

    public ParseRecords(String dataset, RecordJson<T> json) {
        this.dataset = dataset;
        this.json = json;
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup(MarketDataMetrics.DATASET_GROUP, dataset);
        parsed = group.counter(MarketDataMetrics.RECORDS_PARSED);
        failuresByReason = new HashMap<>();
        for (String reason : REASONS) {
            failuresByReason.put(
                    reason,
                    group.addGroup(MarketDataMetrics.REASON_GROUP, reason).counter(MarketDataMetrics.PARSE_FAILURES));
        }
    }

    @Override
    public void processElement(KafkaMessage message, Context ctx, Collector<T> out) {
        T record;
        try {
            record = parse(message.value());
        } catch (JsonFieldException e) {
            reject(message, e.reason(), e.getMessage(), ctx);
            return;
        } catch (RuntimeException e) {
            // A fault of the parser, not of the value; still only this value's problem, never the job's.
            reject(message, DeadLetter.INTERNAL_ERROR, internalError(e), ctx);
            return;
        }
        parsed.inc();
        out.collect(record);
    }

    /** The record in {@code value}; throws {@link JsonFieldException} with the reason code when there is none. */
    public T parse(byte[] value) {
        if (value == null) {
            throw new JsonFieldException(NOT_JSON, "the value is null (a tombstone)");
        }
        // Nearly every value is a plain record: one pass of the streaming parser, no tree. Anything unusual is
        // decided (accepted or refused, with its reason) by the tree below.
        T fast = json.readFast(value);
        if (fast != null) {
            return fast;
        }
        JsonNode node;
        try {
            node = Json.STRICT_READER.readTree(value);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new JsonFieldException(
                    NOT_JSON,
                    "not JSON: " + e.getOriginalMessage()
                            + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new JsonFieldException(NOT_JSON, "not JSON: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw new JsonFieldException(NOT_JSON, "the value is empty");
        }
        if (!node.isObject()) {
            throw new JsonFieldException(
                    JsonFieldException.WRONG_TYPE, "the value must be a JSON object, got " + node.getNodeType());
        }
        return json.read(node);
    }

    /** The message of an {@link DeadLetter#INTERNAL_ERROR}: the exception's class and message. */
    public static String internalError(Throwable e) {
        return "the job's code threw " + e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private void reject(KafkaMessage message, String reason, String why, Context ctx) {
        failuresByReason.get(reason).inc();
        ctx.output(
                UNPARSEABLE,
                DeadLetter.unparsed(
                        dataset,
                        reason,
                        why,
                        DeadLetter.rawOf(message.value()),
                        message.origin(),
                        ctx.timerService().currentProcessingTime()));
    }
}
