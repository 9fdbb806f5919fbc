package dev.marketdata.job.dlq;

import java.net.URI;
import java.nio.file.Paths;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/**
 * The dead-letter queue as NDJSON files: {@code <dir>/<dataset>/dead-letters-<uuid>-<subtask>-<n>.ndjson}.
 *
 * <p>Files roll on every checkpoint and become visible only when it completes (until then they are hidden,
 * dot-prefixed, in progress), so a restore neither loses nor repeats a line.
 */
public final class DeadLetterFiles {

    public static final String PART_PREFIX = "dead-letters";
    public static final String PART_SUFFIX = ".ndjson";

    private DeadLetterFiles() {}

    public static FileSink<DeadLetter> sink(String directory) {
        return FileSink.forRowFormat(toPath(directory), new DeadLetterEncoder())
                .withBucketAssigner(new ByDataset())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder()
                        .withPartPrefix(PART_PREFIX)
                        .withPartSuffix(PART_SUFFIX)
                        .build())
                .build();
    }

    /** A plain directory name is made absolute here, on the client; a URI ({@code s3://...}) is kept as it is. */
    static Path toPath(String directory) {
        URI uri = URI.create(directory.replace('\\', '/'));
        return uri.getScheme() != null && uri.getScheme().length() > 1
                ? new Path(uri)
                : new Path(Paths.get(directory).toAbsolutePath().toUri());
    }

    /** One folder per data set. */
    static final class ByDataset implements BucketAssigner<DeadLetter, String> {

        private static final long serialVersionUID = 1L;

        @Override
        public String getBucketId(DeadLetter letter, Context context) {
            return letter.dataset();
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return SimpleVersionedStringSerializer.INSTANCE;
        }
    }
}
