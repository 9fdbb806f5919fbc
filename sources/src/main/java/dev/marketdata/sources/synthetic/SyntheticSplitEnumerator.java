package dev.marketdata.sources.synthetic;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Hands each reader its share of the symbols ({@code symbol index mod parallelism}) when it registers, then
 * tells it no more are coming. Splits a failed reader gives back go to its successor.
 */
final class SyntheticSplitEnumerator implements SplitEnumerator<SyntheticSplit, Collection<SyntheticSplit>> {

    private final SplitEnumeratorContext<SyntheticSplit> context;
    private final List<SyntheticSplit> unassigned;

    SyntheticSplitEnumerator(SplitEnumeratorContext<SyntheticSplit> context, Collection<SyntheticSplit> unassigned) {
        this.context = context;
        this.unassigned = new ArrayList<>(unassigned);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Splits are pushed on registration; readers never ask.
    }

    @Override
    public void addSplitsBack(List<SyntheticSplit> splits, int subtaskId) {
        unassigned.addAll(splits);
    }

    @Override
    public void addReader(int subtaskId) {
        int parallelism = context.currentParallelism();
        for (Iterator<SyntheticSplit> it = unassigned.iterator(); it.hasNext(); ) {
            SyntheticSplit split = it.next();
            if (split.symbolIndex() % parallelism == subtaskId) {
                context.assignSplit(split, subtaskId);
                it.remove();
            }
        }
        context.signalNoMoreSplits(subtaskId);
    }

    @Override
    public Collection<SyntheticSplit> snapshotState(long checkpointId) {
        return new ArrayList<>(unassigned);
    }

    @Override
    public void close() {}
}
