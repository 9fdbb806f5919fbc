package dev.marketdata.job.parse;

import dev.marketdata.job.core.MarketDataMetrics;
import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.json.RecordJson;
import dev.marketdata.sources.provider.ProviderItem;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The parse stage of a provider source, for every data set: its records go on to validation; what of a provider's
 * answer was not a storable record (an unreadable body, a malformed item, an unknown ticker, a record outside the
 * window, a repeated bar, a broken next page) goes to {@link ParseRecords#UNPARSEABLE} as a dead letter with the raw
 * text, the request ({@code provider GET path?query}, never the key) as origin and the reason. The reading itself
 * happens in the source, which needs it for the next page's cursor.
 *
 * @param <T> the data set's record type
 */
public final class ParseProviderItems<T> extends ProcessFunction<ProviderItem<T>, T> {

    private static final long serialVersionUID = 1L;

    private final String dataset;
    private final RecordJson<T> json;
    private transient Counter parsed;

    public ParseProviderItems(String dataset, RecordJson<T> json) {
        this.dataset = dataset;
        this.json = json;
    }

    @Override
    public void open(OpenContext openContext) {
        parsed = getRuntimeContext()
                .getMetricGroup()
                .addGroup(MarketDataMetrics.DATASET_GROUP, dataset)
                .counter(MarketDataMetrics.RECORDS_PARSED);
    }

    @Override
    public void processElement(ProviderItem<T> item, Context ctx, Collector<T> out) {
        if (item.isRecord()) {
            parsed.inc();
            out.collect(item.record());
            return;
        }
        ctx.output(
                ParseRecords.UNPARSEABLE,
                DeadLetter.unparsed(
                                dataset,
                                item.reason(),
                                item.message(),
                                DeadLetter.Raw.text(item.raw()),
                                item.origin(),
                                ctx.timerService().currentProcessingTime())
                        .withRecord(item.record() == null ? null : Json.toJson(json, item.record())));
    }
}
