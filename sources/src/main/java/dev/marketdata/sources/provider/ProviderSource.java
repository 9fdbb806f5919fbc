package dev.marketdata.sources.provider;

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
 * A provider's historical bars as a bounded FLIP-27 source, the same for every provider: the
 * {@link BarsProtocol} says what to send and what the answers mean, this source does the HTTP, the retries, the
 * job-wide rate limit, the splits (ticker x at most one day and one page) and their checkpointed positions. It
 * emits {@link ProviderRecord}s: bars, and whatever of an answer is not a storable bar, for the dead-letter queue.
 *
 * <p>Fails the job at once on a 401/403 (one line: provider, ticker, what the provider said); fails the task (to
 * be restored from the last checkpoint) when a request keeps failing past the retry budget.
 */
public final class ProviderSource implements Source<ProviderRecord, ProviderSplit, ProviderEnumeratorState>,
        ResultTypeQueryable<ProviderRecord> {

    private static final long serialVersionUID = 1L;

    private final BarsProtocol protocol;
    private final ProviderSettings settings;

    public ProviderSource(BarsProtocol protocol, ProviderSettings settings) {
        if (!protocol.supports(settings.timeframe())) {
            throw new IllegalArgumentException(protocol.provider().id() + " has no " + settings.timeframe() + " bars");
        }
        this.protocol = protocol;
        this.settings = settings;
    }

    public BarsProtocol protocol() {
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
    public SourceReader<ProviderRecord, ProviderSplit> createReader(SourceReaderContext context) {
        return new ProviderReader(context, protocol, settings);
    }

    @Override
    public SplitEnumerator<ProviderSplit, ProviderEnumeratorState> createEnumerator(
            SplitEnumeratorContext<ProviderSplit> context) {
        return new ProviderSplitEnumerator(context, protocol, settings,
                new ProviderEnumeratorState(false, java.util.List.of()));
    }

    @Override
    public SplitEnumerator<ProviderSplit, ProviderEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<ProviderSplit> context, ProviderEnumeratorState checkpoint) {
        return new ProviderSplitEnumerator(context, protocol, settings, checkpoint);
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
    public TypeInformation<ProviderRecord> getProducedType() {
        return TypeInformation.of(ProviderRecord.class);
    }
}
