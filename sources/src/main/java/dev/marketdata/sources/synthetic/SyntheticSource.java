package dev.marketdata.sources.synthetic;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.model.Fundamentals;
import dev.marketdata.sources.model.NewsArticle;
import dev.marketdata.sources.model.OptionQuote;
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
 * One data set of the synthetic market as a FLIP-27 source: one split per symbol, spread over the readers, each
 * split's position in checkpoints so a restore continues with no gap and no repeat. Bounded when
 * {@link SyntheticSpec#stepsPerSymbol()} is positive. Every data set's splits have the same form (the symbol's
 * position in its price walk), so they share one checkpoint format.
 */
public final class SyntheticSource<T>
        implements Source<T, SyntheticSplit, Collection<SyntheticSplit>>, ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    private final SyntheticSpec spec;
    private final SyntheticGenerator<T> generator;
    private final Class<T> type;

    public SyntheticSource(SyntheticSpec spec, SyntheticGenerator<T> generator, Class<T> type) {
        this.spec = spec;
        this.generator = generator;
        this.type = type;
    }

    /** 1-minute OHLCV bars. */
    public static SyntheticSource<Bar> bars(SyntheticSpec spec) {
        return new SyntheticSource<>(spec, new SyntheticBars(spec), Bar.class);
    }

    /** An option chain around each symbol's price every step. */
    public static SyntheticSource<OptionQuote> options(SyntheticSpec spec) {
        return new SyntheticSource<>(spec, new SyntheticOptionQuotes(spec), OptionQuote.class);
    }

    /** One fiscal quarter per step, with the fiscal year after its fourth quarter and the trailing twelve months. */
    public static SyntheticSource<Fundamentals> fundamentals(SyntheticSpec spec) {
        return new SyntheticSource<>(spec, new SyntheticFundamentals(spec), Fundamentals.class);
    }

    /** Now and then an article about a symbol, its tone following the price. */
    public static SyntheticSource<NewsArticle> news(SyntheticSpec spec) {
        return new SyntheticSource<>(spec, new SyntheticNews(spec), NewsArticle.class);
    }

    public SyntheticSpec spec() {
        return spec;
    }

    public SyntheticGenerator<T> generator() {
        return generator;
    }

    @Override
    public Boundedness getBoundedness() {
        return spec.bounded() ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<T, SyntheticSplit> createReader(SourceReaderContext context) {
        return new SyntheticReader<>(spec, generator);
    }

    @Override
    public SplitEnumerator<SyntheticSplit, Collection<SyntheticSplit>> createEnumerator(
            SplitEnumeratorContext<SyntheticSplit> context) {
        return new SyntheticSplitEnumerator(context, initialSplits(spec));
    }

    /** Every symbol at the start of its walk. */
    public static List<SyntheticSplit> initialSplits(SyntheticSpec spec) {
        SyntheticBars walk = new SyntheticBars(spec);
        List<SyntheticSplit> splits = new ArrayList<>(spec.symbols());
        for (int i = 0; i < spec.symbols(); i++) {
            splits.add(new SyntheticSplit(i, 0, walk.initialClose(i)));
        }
        return splits;
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
    public TypeInformation<T> getProducedType() {
        return TypeInformation.of(type);
    }
}
