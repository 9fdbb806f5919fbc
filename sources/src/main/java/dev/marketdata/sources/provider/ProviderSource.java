package dev.marketdata.sources.provider;

import dev.marketdata.sources.model.Bar;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A provider's historical records of one data set as a bounded FLIP-27 source, the same for every provider and data
 * set: the {@link PageProtocol} says what to send and what the answers mean (bars through {@link BarPages}), this
 * source does the HTTP, the retries, the job-wide rate limit, the splits and their checkpointed positions. It emits
 * {@link ProviderItem}s: records, and whatever of an answer is not a storable record, for the dead-letter queue.
 *
 * <p>Splits are {@link ProviderSplit}s: bars by ticker x at most one day and one page, other data sets one per
 * ticker over the whole window ({@link PageProtocol#splitsByDay()}), each with its next page's cursor as position.
 * The lookup, errors, authentication and rate are the provider's ({@link PageProtocol#transport()}).
 *
 * <p>Fails the job at once on a 401/403 (one line: provider, ticker, what the provider said); fails the task (to
 * be restored from the last checkpoint) when a request keeps failing past the retry budget.
 *
 * @param <T> the record type, e.g. {@link Bar} or {@link dev.marketdata.sources.model.NewsArticle}
 */
public final class ProviderSource<T>
        implements Source<ProviderItem<T>, ProviderSplit, ProviderEnumeratorState>,
                ResultTypeQueryable<ProviderItem<T>> {

    private static final long serialVersionUID = 1L;

    private final PageProtocol<T> protocol;
    private final ProviderSettings settings;
    private final TypeInformation<ProviderItem<T>> type;

    /**
     * @param type the emitted type, e.g. {@code new TypeHint<ProviderItem<NewsArticle>>() {}.getTypeInfo()}, so
     *     Flink serializes it as a POJO and not with Kryo
     */
    public ProviderSource(PageProtocol<T> protocol, ProviderSettings settings, TypeInformation<ProviderItem<T>> type) {
        this.protocol = protocol;
        this.settings = settings;
        this.type = type;
    }

    /**
     * A provider's bars of {@code settings.timeframe()}.
     *
     * @throws IllegalArgumentException when the provider has no bars of that timeframe
     */
    public static ProviderSource<Bar> bars(BarsProtocol protocol, ProviderSettings settings) {
        return new ProviderSource<>(
                new BarPages(protocol, settings.timeframe()),
                settings,
                new TypeHint<ProviderItem<Bar>>() {}.getTypeInfo());
    }

    public PageProtocol<T> protocol() {
        return protocol;
    }

    public ProviderSettings settings() {
        return settings;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<ProviderItem<T>, ProviderSplit> createReader(SourceReaderContext context) {
        return new ProviderReader<>(context, protocol, settings);
    }

    @Override
    public SplitEnumerator<ProviderSplit, ProviderEnumeratorState> createEnumerator(
            SplitEnumeratorContext<ProviderSplit> context) {
        return restoreEnumerator(context, new ProviderEnumeratorState(false, List.of()));
    }

    @Override
    public SplitEnumerator<ProviderSplit, ProviderEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<ProviderSplit> context, ProviderEnumeratorState checkpoint) {
        return new ProviderSplitEnumerator(
                context, protocol.transport(), settings, checkpoint, !protocol.splitsByDay());
    }

    @Override
    public SimpleVersionedSerializer<ProviderSplit> getSplitSerializer() {
        return new ProviderSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<ProviderEnumeratorState> getEnumeratorCheckpointSerializer() {
        return new ProviderSplitSerializer.EnumeratorStateSerializer();
    }

    @Override
    public TypeInformation<ProviderItem<T>> getProducedType() {
        return type;
    }
}
