package dev.marketdata.bench;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.synthetic.SyntheticSource;
import dev.marketdata.sources.synthetic.SyntheticSplit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The real synthetic source, with each reader's start time and split order noted in this JVM, so the latency
 * probe knows when the rate limiter scheduled each record: record {@code k} of a reader is due at
 * {@code start + k / (rate / parallelism)}. Only for an embedded cluster in the probe's own JVM.
 */
final class ClockedBarSource
        implements Source<Bar, SyntheticSplit, Collection<SyntheticSplit>>, ResultTypeQueryable<Bar> {

    private static final long serialVersionUID = 1L;

    /** What one reader did: when it started (System.nanoTime) and its symbols in emission order. */
    record ReaderClock(long startNanos, List<Integer> symbols) {}

    static final Map<Integer, ReaderClock> READERS = new ConcurrentHashMap<>();

    private final SyntheticSource<Bar> delegate;

    ClockedBarSource(SyntheticSource<Bar> delegate) {
        this.delegate = delegate;
    }

    @Override
    public Boundedness getBoundedness() {
        return delegate.getBoundedness();
    }

    @Override
    public SourceReader<Bar, SyntheticSplit> createReader(SourceReaderContext context) throws Exception {
        return new Reader(delegate.createReader(context), context.getIndexOfSubtask());
    }

    @Override
    public SplitEnumerator<SyntheticSplit, Collection<SyntheticSplit>> createEnumerator(
            SplitEnumeratorContext<SyntheticSplit> context) throws Exception {
        return delegate.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<SyntheticSplit, Collection<SyntheticSplit>> restoreEnumerator(
            SplitEnumeratorContext<SyntheticSplit> context, Collection<SyntheticSplit> checkpoint) throws Exception {
        return delegate.restoreEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<SyntheticSplit> getSplitSerializer() {
        return delegate.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<Collection<SyntheticSplit>> getEnumeratorCheckpointSerializer() {
        return delegate.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<Bar> getProducedType() {
        return delegate.getProducedType();
    }

    private static final class Reader implements SourceReader<Bar, SyntheticSplit> {
        private final SourceReader<Bar, SyntheticSplit> delegate;
        private final int subtask;
        private final List<Integer> symbols = new ArrayList<>();

        Reader(SourceReader<Bar, SyntheticSplit> delegate, int subtask) {
            this.delegate = delegate;
            this.subtask = subtask;
        }

        @Override
        public void start() {
            READERS.put(subtask, new ReaderClock(System.nanoTime(), symbols));
            delegate.start();
        }

        @Override
        public InputStatus pollNext(ReaderOutput<Bar> output) throws Exception {
            return delegate.pollNext(output);
        }

        @Override
        public List<SyntheticSplit> snapshotState(long checkpointId) {
            return delegate.snapshotState(checkpointId);
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return delegate.isAvailable();
        }

        @Override
        public void addSplits(List<SyntheticSplit> splits) {
            synchronized (symbols) {
                splits.forEach(s -> symbols.add(s.symbolIndex()));
            }
            delegate.addSplits(splits);
        }

        @Override
        public void notifyNoMoreSplits() {
            delegate.notifyNoMoreSplits();
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            delegate.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void close() throws Exception {
            delegate.close();
        }
    }
}
