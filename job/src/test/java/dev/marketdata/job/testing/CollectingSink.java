package dev.marketdata.job.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink that keeps what it receives in this JVM, for tests that run a pipeline on a local cluster in the same
 * process: each instance collects into its own list, found by an id that survives the sink's serialization.
 */
public final class CollectingSink<T> implements Sink<T> {

    private static final Map<String, List<Object>> COLLECTED = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();

    public CollectingSink() {
        COLLECTED.put(id, Collections.synchronizedList(new ArrayList<>()));
    }

    /** Everything written so far, from every subtask, in no particular order across subtasks. */
    @SuppressWarnings("unchecked")
    public List<T> collected() {
        synchronized (COLLECTED.get(id)) {
            return List.copyOf((List<T>) (List<?>) COLLECTED.get(id));
        }
    }

    /** Forgets what this sink collected; call when the test is done with it. */
    public void clear() {
        COLLECTED.remove(id);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new Writer<>(COLLECTED.get(id));
    }

    private static final class Writer<T> implements SinkWriter<T> {

        private final List<Object> target;

        Writer(List<Object> target) {
            this.target = target;
        }

        @Override
        public void write(T element, Context context) {
            target.add(element);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
    }
}
