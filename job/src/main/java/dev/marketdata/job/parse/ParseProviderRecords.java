package dev.marketdata.job.parse;

import dev.marketdata.job.core.MarketDataMetrics;
import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.json.RecordJson;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.ProviderRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The parse stage of a provider source: its bars go on to validation; what of a provider's answer was not a
 * storable bar (an unreadable body, a malformed item, an unknown ticker, a bar outside the window, a repeat, a
 * broken next page) goes to {@link ParseRecords#UNPARSEABLE} as a dead letter with the raw text, the request
 * ({@code provider GET path?query}, never the key) as origin and the reason. The reading itself happens in the
 * source, which needs it for the next page's cursor.
 */
public final class ParseProviderRecords extends ProcessFunction<ProviderRecord, Bar> {

    private static final long serialVersionUID = 1L;

    private final String dataset;
    private final RecordJson<Bar> json;
    private transient Counter parsed;

    public ParseProviderRecords(String dataset, RecordJson<Bar> json) {
        this.dataset = dataset;
        this.json = json;
    }

    @Override
    public void open(OpenContext openContext) {
        parsed = getRuntimeContext().getMetricGroup().addGroup(MarketDataMetrics.DATASET_GROUP, dataset)
                .counter(MarketDataMetrics.RECORDS_PARSED);
    }

    @Override
    public void processElement(ProviderRecord record, Context ctx, Collector<Bar> out) {
        if (record.isBar()) {
            parsed.inc();
            out.collect(record.bar());
            return;
        }
        ctx.output(ParseRecords.UNPARSEABLE, DeadLetter.unparsed(dataset, record.reason(), record.message(),
                        DeadLetter.Raw.text(record.raw()), record.origin(), ctx.timerService().currentProcessingTime())
                .withRecord(record.bar() == null ? null : Json.toJson(json, record.bar())));
    }
}
