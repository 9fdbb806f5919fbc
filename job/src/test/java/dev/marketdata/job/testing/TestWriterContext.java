package dev.marketdata.job.testing;

import java.util.OptionalLong;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobInfo;
import org.apache.flink.api.common.JobInfoImpl;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.TaskInfoImpl;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.runtime.mailbox.SyncMailboxExecutor;
import org.apache.flink.runtime.metrics.groups.InternalSinkWriterMetricGroup;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * What a sink writer sees of its task, for driving a writer directly: subtask, parallelism, restored checkpoint,
 * and metrics the test can read.
 */
public final class TestWriterContext implements WriterInitContext {

    private final int subtask;
    private final int parallelism;
    private final OptionalLong restoredCheckpointId;
    private final JobID job = new JobID();
    private final TestProcessingTimeService time = new TestProcessingTimeService();
    private final MetricListener listener = new MetricListener();
    private final SinkWriterMetricGroup metrics =
            InternalSinkWriterMetricGroup.wrap(new ListenedOperatorMetricGroup(listener));

    public TestWriterContext(int subtask, int parallelism, OptionalLong restoredCheckpointId) {
        this.subtask = subtask;
        this.parallelism = parallelism;
        this.restoredCheckpointId = restoredCheckpointId;
    }

    /** The metrics the writer registered, e.g. {@code metrics().getCounter("table", "bars", "retries")}. */
    public MetricListener metrics() {
        return listener;
    }

    /** A counter's value, or -1 when the writer registered none at that path. */
    public long counter(String... path) {
        return listener.getCounter(path).map(Counter::getCount).orElse(-1L);
    }

    @Override
    public OptionalLong getRestoredCheckpointId() {
        return restoredCheckpointId;
    }

    @Override
    public JobInfo getJobInfo() {
        return new JobInfoImpl(job, "test");
    }

    @Override
    public TaskInfo getTaskInfo() {
        return new TaskInfoImpl("sink", 128, subtask, parallelism, 0);
    }

    @Override
    public UserCodeClassLoader getUserCodeClassLoader() {
        throw new UnsupportedOperationException();
    }

    @Override
    public MailboxExecutor getMailboxExecutor() {
        return new SyncMailboxExecutor();
    }

    @Override
    public ProcessingTimeService getProcessingTimeService() {
        return time;
    }

    @Override
    public SinkWriterMetricGroup metricGroup() {
        return metrics;
    }

    @Override
    public SerializationSchema.InitializationContext asSerializationSchemaInitializationContext() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isObjectReuseEnabled() {
        return false;
    }

    @Override
    public <IN> TypeSerializer<IN> createInputSerializer() {
        throw new UnsupportedOperationException();
    }
}
