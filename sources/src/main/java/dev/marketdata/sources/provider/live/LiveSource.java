package dev.marketdata.sources.provider.live;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.ProviderItem;
import dev.marketdata.sources.provider.ProviderSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * A provider's live bars as an unbounded FLIP-27 source, the same for every provider: the {@link LiveProtocol} says
 * what to send and what the frames mean; this source keeps one WebSocket per provider account for the whole job
 * (one split, one reader owns it), a bounded buffer with an overflow policy, reconnects, a data watchdog, and gap
 * repair through the provider's REST API after every connect and restore, so every bar the provider publishes is
 * emitted, and a bar seen both ways once. With {@link LiveSettings#backfillFrom()} the first connection backfills
 * from that instant through the same repair: no gap and no repeat at the hand-over.
 *
 * <p>Emits {@link ProviderItem}s like the backfill source: bars, and dead letters (malformed frames, unknown
 * tickers, records dropped on overflow).
 */
public final class LiveSource
        implements Source<ProviderItem<Bar>, LiveSplit, List<LiveSplit>>, ResultTypeQueryable<ProviderItem<Bar>> {

    private static final long serialVersionUID = 1L;

    private final LiveProtocol protocol;
    private final ProviderSettings rest;
    private final LiveSettings live;

    /**
     * @param rest the REST settings of the backfill (base URL, credentials, tickers, timeframe, HTTP); its window
     *     is not used
     */
    public LiveSource(LiveProtocol protocol, ProviderSettings rest, LiveSettings live) {
        if (!protocol.supports(rest.timeframe())) {
            throw new IllegalArgumentException(
                    protocol.provider().id() + "'s live stream has no " + rest.timeframe() + " bars");
        }
        this.protocol = protocol;
        this.rest = rest;
        this.live = live;
    }

    public LiveProtocol protocol() {
        return protocol;
    }

    public LiveSettings live() {
        return live;
    }

    public ProviderSettings rest() {
        return rest;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<ProviderItem<Bar>, LiveSplit> createReader(SourceReaderContext context) {
        return new LiveReader(context, protocol, rest, live, Clock.systemUTC());
    }

    @Override
    public SplitEnumerator<LiveSplit, List<LiveSplit>> createEnumerator(SplitEnumeratorContext<LiveSplit> context) {
        Map<String, Instant> positions = new TreeMap<>();
        live.backfillFrom().ifPresent(from -> rest.tickers().forEach(t -> positions.put(t, from)));
        return new LiveSplitEnumerator(
                context, List.of(new LiveSplit(protocol.provider().id(), positions, false)));
    }

    @Override
    public SplitEnumerator<LiveSplit, List<LiveSplit>> restoreEnumerator(
            SplitEnumeratorContext<LiveSplit> context, List<LiveSplit> checkpoint) {
        return new LiveSplitEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<LiveSplit> getSplitSerializer() {
        return new LiveSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<List<LiveSplit>> getEnumeratorCheckpointSerializer() {
        return new LiveSplitSerializer.EnumeratorStateSerializer();
    }

    @Override
    public TypeInformation<ProviderItem<Bar>> getProducedType() {
        return new TypeHint<ProviderItem<Bar>>() {}.getTypeInfo();
    }
}
