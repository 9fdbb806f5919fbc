package dev.marketdata.sources.synthetic;

import dev.marketdata.sources.model.Bar;
import java.util.ArrayList;
import java.util.Collection;
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
 * The synthetic provider as a FLIP-27 source: one split per symbol, spread over the readers, each split's
 * position in checkpoints so a restore continues with no gap and no repeat. Bounded when
 * {@link SyntheticBarSpec#barsPerSymbol()} is positive.
 */
public final class SyntheticBarSource
        implements Source<Bar, SyntheticSplit, Collection<SyntheticSplit>>, ResultTypeQueryable<Bar> {

    private static final long serialVersionUID = 1L;

    private final SyntheticBarSpec spec;

    public SyntheticBarSource(SyntheticBarSpec spec) {
        this.spec = spec;
    }

    @Override
    public Boundedness getBoundedness() {
        return spec.bounded() ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<Bar, SyntheticSplit> createReader(SourceReaderContext context) {
        return new SyntheticBarReader(spec);
    }

    @Override
    public SplitEnumerator<SyntheticSplit, Collection<SyntheticSplit>> createEnumerator(
            SplitEnumeratorContext<SyntheticSplit> context) {
        SyntheticBars generator = new SyntheticBars(spec);
        List<SyntheticSplit> splits = new ArrayList<>(spec.symbols());
        for (int i = 0; i < spec.symbols(); i++) {
            splits.add(new SyntheticSplit(i, 0, generator.initialClose(i)));
        }
        return new SyntheticSplitEnumerator(context, splits);
    }

    @Override
    public SplitEnumerator<SyntheticSplit, Collection<SyntheticSplit>> restoreEnumerator(
            SplitEnumeratorContext<SyntheticSplit> context, Collection<SyntheticSplit> checkpoint) {
        return new SyntheticSplitEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<SyntheticSplit> getSplitSerializer() {
        return new SyntheticSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<Collection<SyntheticSplit>> getEnumeratorCheckpointSerializer() {
        return new SyntheticSplitSerializer.PendingSplits();
    }

    @Override
    public TypeInformation<Bar> getProducedType() {
        return TypeInformation.of(Bar.class);
    }
}
