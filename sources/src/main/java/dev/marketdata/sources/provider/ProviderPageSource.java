package dev.marketdata.sources.provider;

import java.util.List;
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
 * A provider's historical records of one data set other than bars (news, fundamentals, option quotes) as a bounded
 * FLIP-27 source: the {@link PageProtocol} says what to send and what the answers mean; the lookup, HTTP, retries,
 * rate limit and errors are the provider's, shared with its bars through {@link PageProtocol#transport()} and the
 * same {@link ProviderClient}. Splits are {@link ProviderSplit}s (same serializer and checkpoint as the bars): one
 * per known ticker over the whole window, with its next page's cursor as position.
 *
 * <p>Fails the job at once on a 401/403; fails the task (to be restored from the last checkpoint) when a request
 * keeps failing past the retry budget.
 *
 * @param <T> the record type, e.g. {@link dev.marketdata.sources.model.NewsArticle}
 */
public final class ProviderPageSource<T> implements Source<ProviderItem<T>, ProviderSplit, ProviderEnumeratorState>,
        ResultTypeQueryable<ProviderItem<T>> {

    private static final long serialVersionUID = 1L;

    private final PageProtocol<T> protocol;
    private final ProviderSettings settings;
    private final TypeInformation<ProviderItem<T>> type;

    /**
     * @param type the emitted type, e.g. {@code new TypeHint<ProviderItem<NewsArticle>>() {}.getTypeInfo()}, so
     *     Flink serializes it as a POJO and not with Kryo
     */
    public ProviderPageSource(PageProtocol<T> protocol, ProviderSettings settings,
            TypeInformation<ProviderItem<T>> type) {
        this.protocol = protocol;
        this.settings = settings;
        this.type = type;
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
        return new ProviderPageReader<>(context, protocol, settings);
    }

    @Override
    public SplitEnumerator<ProviderSplit, ProviderEnumeratorState> createEnumerator(
            SplitEnumeratorContext<ProviderSplit> context) {
        return new ProviderSplitEnumerator(context, protocol.transport(), settings,
                new ProviderEnumeratorState(false, List.of()), true);
    }

    @Override
    public SplitEnumerator<ProviderSplit, ProviderEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<ProviderSplit> context, ProviderEnumeratorState checkpoint) {
        return new ProviderSplitEnumerator(context, protocol.transport(), settings, checkpoint, true);
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
