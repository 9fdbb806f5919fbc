package dev.marketdata.sources.provider.live;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Hands the account's one split to exactly one reader, whatever the parallelism: past its limit Polygon closes
 * the oldest connection and Alpaca allows one per account, so two readers with a socket each would evict each
 * other in a loop. The other readers stay idle. A split given back by a failed reader goes to the next reader
 * that asks (or to one waiting). Checkpointed: the split when no reader holds it.
 */
final class LiveSplitEnumerator implements SplitEnumerator<LiveSplit, List<LiveSplit>> {

    private final SplitEnumeratorContext<LiveSplit> context;
    private final List<LiveSplit> pending;
    /** Readers that asked and got nothing: idle, or the owner of the split to come back. */
    private final TreeSet<Integer> waiting = new TreeSet<>();

    LiveSplitEnumerator(SplitEnumeratorContext<LiveSplit> context, List<LiveSplit> pending) {
        this.context = context;
        this.pending = new ArrayList<>(pending);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        waiting.add(subtaskId);
        assign();
    }

    private void assign() {
        while (!pending.isEmpty()) {
            Integer reader = waiting.stream()
                    .filter(r -> context.registeredReaders().containsKey(r))
                    .findFirst()
                    .orElse(null);
            if (reader == null) {
                return;
            }
            waiting.remove(reader);
            context.assignSplit(pending.remove(0), reader);
        }
    }

    @Override
    public void addSplitsBack(List<LiveSplit> splits, int subtaskId) {
        waiting.remove(subtaskId);
        pending.addAll(splits);
        assign();
    }

    @Override
    public void addReader(int subtaskId) {
        assign();
    }

    @Override
    public List<LiveSplit> snapshotState(long checkpointId) {
        return new ArrayList<>(pending);
    }

    @Override
    public void close() {}
}
