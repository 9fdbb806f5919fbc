package dev.marketdata.job.kafka;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;
import org.apache.flink.streaming.api.lineage.LineageVertex;
import org.apache.flink.streaming.api.lineage.LineageVertexProvider;

/**
 * A {@link KafkaSource} that, when bounded, also finishes after a restore from a checkpoint or savepoint.
 *
 * <p>Works around FLINK-31006 (connector 5.0.0-2.2): a restored bounded enumerator finds every partition already
 * assigned, and its one-time partition discovery then returns before it ever sends "no more splits", so the
 * restored readers consume up to their stopping offsets and wait forever. This wrapper watches that discovery:
 * when its result handler schedules no further work (no new partitions), it sends "no more splits" itself, to
 * every reader then registered and to each reader that registers later. When the connector signals on its own
 * (a fresh start, or a fixed connector), the discovery schedules the split initialisation and the wrapper stays
 * out of the way. Everything else, the checkpoint formats included, is the KafkaSource's own.
 */
public final class FinishingKafkaSource<T>
        implements Source<T, KafkaPartitionSplit, KafkaSourceEnumState>, ResultTypeQueryable<T>, LineageVertexProvider {

    private static final long serialVersionUID = 1L;

    private final KafkaSource<T> kafka;

    public FinishingKafkaSource(KafkaSource<T> kafka) {
        this.kafka = kafka;
    }

    @Override
    public Boundedness getBoundedness() {
        return kafka.getBoundedness();
    }

    @Override
    public SourceReader<T, KafkaPartitionSplit> createReader(SourceReaderContext context) throws Exception {
        return kafka.createReader(context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context) {
        if (getBoundedness() != Boundedness.BOUNDED) {
            return kafka.createEnumerator(context);
        }
        Watcher watcher = new Watcher(context);
        return watcher.wrap(kafka.createEnumerator(watcher));
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState checkpoint) throws IOException {
        if (getBoundedness() != Boundedness.BOUNDED) {
            return kafka.restoreEnumerator(context, checkpoint);
        }
        Watcher watcher = new Watcher(context);
        return watcher.wrap(kafka.restoreEnumerator(watcher, checkpoint));
    }

    @Override
    public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return kafka.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return kafka.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return kafka.getProducedType();
    }

    @Override
    public LineageVertex getLineageVertex() {
        return kafka.getLineageVertex();
    }

    /**
     * The enumerator's context, passed through except that the result handler of the first one-time
     * {@code callAsync} (the partition discovery) is watched. Everything runs in the coordinator thread.
     */
    static final class Watcher implements SplitEnumeratorContext<KafkaPartitionSplit> {

        private final SplitEnumeratorContext<KafkaPartitionSplit> context;
        private final Set<Integer> signalled = new HashSet<>();
        private boolean discoveryWatched;
        private int scheduled;
        private boolean finishedWithoutNewSplits;

        Watcher(SplitEnumeratorContext<KafkaPartitionSplit> context) {
            this.context = context;
        }

        SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> wrap(
                SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> enumerator) {
            return new Enumerator(enumerator, this);
        }

        @Override
        public <R> void callAsync(Callable<R> callable, BiConsumer<R, Throwable> handler) {
            scheduled++;
            if (discoveryWatched) {
                context.callAsync(callable, handler);
                return;
            }
            discoveryWatched = true;
            context.callAsync(callable, (result, error) -> {
                int before = scheduled;
                handler.accept(result, error);
                if (error == null && scheduled == before) {
                    // The discovery found no new partitions and the enumerator will do nothing more: no more splits.
                    finishedWithoutNewSplits = true;
                    context.registeredReaders().keySet().forEach(this::signal);
                }
            });
        }

        /** Before the enumerator handles a reader's registration: a restarted reader has to hear it again. */
        void readerRegistering(int subtask) {
            signalled.remove(subtask);
        }

        /** After the enumerator has handled a reader's registration. */
        void readerAdded(int subtask) {
            if (finishedWithoutNewSplits) {
                signal(subtask);
            }
        }

        private void signal(int subtask) {
            if (signalled.add(subtask)) {
                context.signalNoMoreSplits(subtask);
            }
        }

        @Override
        public void signalNoMoreSplits(int subtask) {
            signalled.add(subtask);
            context.signalNoMoreSplits(subtask);
        }

        @Override
        public <R> void callAsync(
                Callable<R> callable, BiConsumer<R, Throwable> handler, long initialDelay, long period) {
            context.callAsync(callable, handler, initialDelay, period);
        }

        @Override
        public SplitEnumeratorMetricGroup metricGroup() {
            return context.metricGroup();
        }

        @Override
        public void sendEventToSourceReader(int subtaskId, SourceEvent event) {
            context.sendEventToSourceReader(subtaskId, event);
        }

        @Override
        public void sendEventToSourceReader(int subtaskId, int attemptNumber, SourceEvent event) {
            context.sendEventToSourceReader(subtaskId, attemptNumber, event);
        }

        @Override
        public int currentParallelism() {
            return context.currentParallelism();
        }

        @Override
        public Map<Integer, ReaderInfo> registeredReaders() {
            return context.registeredReaders();
        }

        @Override
        public Map<Integer, Map<Integer, ReaderInfo>> registeredReadersOfAttempts() {
            return context.registeredReadersOfAttempts();
        }

        @Override
        public void assignSplits(SplitsAssignment<KafkaPartitionSplit> newSplitAssignments) {
            context.assignSplits(newSplitAssignments);
        }

        @Override
        public void assignSplit(KafkaPartitionSplit split, int subtask) {
            context.assignSplit(split, subtask);
        }

        @Override
        public void runInCoordinatorThread(Runnable runnable) {
            context.runInCoordinatorThread(runnable);
        }

        @Override
        public void setIsProcessingBacklog(boolean isProcessingBacklog) {
            context.setIsProcessingBacklog(isProcessingBacklog);
        }
    }

    /** The KafkaSource's enumerator, telling the watcher when a reader registers. */
    private record Enumerator(SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> kafka, Watcher watcher)
            implements SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> {

        @Override
        public void start() {
            kafka.start();
        }

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {
            kafka.handleSplitRequest(subtaskId, requesterHostname);
        }

        @Override
        public void addSplitsBack(List<KafkaPartitionSplit> splits, int subtaskId) {
            kafka.addSplitsBack(splits, subtaskId);
        }

        @Override
        public void addReader(int subtaskId) {
            watcher.readerRegistering(subtaskId);
            kafka.addReader(subtaskId);
            watcher.readerAdded(subtaskId);
        }

        @Override
        public KafkaSourceEnumState snapshotState(long checkpointId) throws Exception {
            return kafka.snapshotState(checkpointId);
        }

        @Override
        public void close() throws IOException {
            kafka.close();
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            kafka.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void handleSourceEvent(int subtaskId, SourceEvent sourceEvent) {
            kafka.handleSourceEvent(subtaskId, sourceEvent);
        }
    }
}
