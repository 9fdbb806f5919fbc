package dev.marketdata.job.dlq;

import java.io.IOException;
import java.nio.file.Paths;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
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

    /**
     * Writes one dead letter to a file of its own named after its {@link DeadLetter#key() key},
     * {@code <dir>/<dataset>/dead-letters-write-<key>.ndjson}: the at-least-once sink writer's way to dead-letter
     * a refused row after its batch committed. A replay after a restore rejects the same row again and overwrites
     * the same file, so the line is not repeated. The file is written hidden and renamed, so readers never see
     * half of it.
     */
    public static void writeKeyed(String directory, DeadLetter letter) throws IOException {
        Path folder = new Path(toPath(directory), letter.dataset());
        String name = StagedDeadLetters.PUBLISHED_PREFIX + letter.key() + PART_SUFFIX;
        Path hidden = new Path(folder, "." + name + ".tmp");
        Path visible = new Path(folder, name);
        FileSystem fs = folder.getFileSystem();
        fs.mkdirs(folder);
        try (FSDataOutputStream out = fs.create(hidden, FileSystem.WriteMode.OVERWRITE)) {
            out.write(DeadLetterEncoder.toLine(letter));
            out.flush();
            out.sync();
        }
        if (!fs.rename(hidden, visible)) {
            throw new IOException("Cannot rename " + hidden + " to " + visible);
        }
    }

    static Path toPath(String directory) {
        return new Path(toUri(directory));
    }

    /**
     * A file system URI for a directory option: a plain path is made absolute here, on the client (a cluster's
     * working directory is not the user's); a URI such as {@code s3://bucket/dlq} is kept as it is.
     */
    public static String toUri(String directory) {
        int colon = directory.indexOf("://");
        return colon > 1
                ? directory
                : Paths.get(directory).toAbsolutePath().toUri().toString();
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
