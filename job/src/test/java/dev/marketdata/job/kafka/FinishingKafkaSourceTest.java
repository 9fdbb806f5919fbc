package dev.marketdata.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;
import org.junit.jupiter.api.Test;

/**
 * The workaround for restored bounded Kafka sources that never finish: it sends "no more splits" exactly when the
 * enumerator's discovery ends without new work, once per reader registration, and otherwise stays silent.
 */
class FinishingKafkaSourceTest {

    @Test
    void aDiscoveryThatFindsNothingNewEndsWithNoMoreSplitsForEveryReader() throws Exception {
        FakeContext context = new FakeContext();
        FinishingKafkaSource.Watcher watcher = new FinishingKafkaSource.Watcher(context);
        // Like a restored KafkaSourceEnumerator: discovery finds every partition assigned, and stops there.
        SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> enumerator =
                watcher.wrap(new FakeEnumerator(watcher, false));
        enumerator.start();
        context.register(0);
        enumerator.addReader(0);
        assertThat(context.signalled).isEmpty();

        context.runPending();
        assertThat(context.signalled).containsExactly(0);

        context.register(1);
        enumerator.addReader(1);
        assertThat(context.signalled).containsExactly(0, 1);

        enumerator.addReader(0); // reader 0 restarted and registered again
        assertThat(context.signalled).containsExactly(0, 1, 0);
    }

    @Test
    void aDiscoveryThatGoesOnToAssignSplitsIsLeftToTheEnumerator() throws Exception {
        FakeContext context = new FakeContext();
        FinishingKafkaSource.Watcher watcher = new FinishingKafkaSource.Watcher(context);
        SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> enumerator =
                watcher.wrap(new FakeEnumerator(watcher, true));
        enumerator.start();
        context.register(0);
        enumerator.addReader(0);

        context.runPending(); // discovery: schedules split initialisation
        assertThat(context.signalled).isEmpty();
        context.runPending(); // the enumerator assigns and signals by itself
        assertThat(context.signalled).containsExactly(0);

        context.register(1);
        enumerator.addReader(1);
        assertThat(context.signalled).containsExactly(0);
    }

    /** Discovery as KafkaSourceEnumerator does it: one callAsync, whose handler may schedule the next step. */
    private record FakeEnumerator(SplitEnumeratorContext<KafkaPartitionSplit> context, boolean newPartitions)
            implements SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> {

        @Override
        public void start() {
            context.callAsync(() -> "partitions", (partitions, error) -> {
                if (newPartitions) {
                    context.callAsync(
                            () -> "splits",
                            (splits, e) -> context.registeredReaders().keySet().forEach(context::signalNoMoreSplits));
                }
            });
        }

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {}

        @Override
        public void addSplitsBack(List<KafkaPartitionSplit> splits, int subtaskId) {}

        @Override
        public void addReader(int subtaskId) {}

        @Override
        public KafkaSourceEnumState snapshotState(long checkpointId) {
            return null;
        }

        @Override
        public void close() {}
    }

    private static final class FakeContext implements SplitEnumeratorContext<KafkaPartitionSplit> {

        final List<Integer> signalled = new ArrayList<>();
        private final Map<Integer, ReaderInfo> readers = new LinkedHashMap<>();
        private final List<Runnable> pending = new ArrayList<>();

        void register(int subtask) {
            readers.put(subtask, new ReaderInfo(subtask, "localhost"));
        }

        void runPending() {
            List<Runnable> now = new ArrayList<>(pending);
            pending.clear();
            now.forEach(Runnable::run);
        }

        @Override
        public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler) {
            pending.add(() -> {
                try {
                    handler.accept(callable.call(), null);
                } catch (Exception e) {
                    handler.accept(null, e);
                }
            });
        }

        @Override
        public void signalNoMoreSplits(int subtask) {
            signalled.add(subtask);
        }

        @Override
        public Map<Integer, ReaderInfo> registeredReaders() {
            return readers;
        }

        @Override
        public SplitEnumeratorMetricGroup metricGroup() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void sendEventToSourceReader(int subtaskId, SourceEvent event) {}

        @Override
        public int currentParallelism() {
            return 2;
        }

        @Override
        public void assignSplits(SplitsAssignment<KafkaPartitionSplit> newSplitAssignments) {}

        @Override
        public <T> void callAsync(
                Callable<T> callable, BiConsumer<T, Throwable> handler, long initialDelay, long period) {
            throw new UnsupportedOperationException("bounded sources discover once");
        }

        @Override
        public void runInCoordinatorThread(Runnable runnable) {
            runnable.run();
        }
    }
}
