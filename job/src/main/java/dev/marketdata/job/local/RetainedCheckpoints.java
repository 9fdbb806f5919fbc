package dev.marketdata.job.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds what {@code --restore} names: a path as given, or for {@code latest} the newest complete checkpoint or
 * savepoint under the checkpoint directory ({@code <dir>/<job id>/chk-<n>/_metadata}, or
 * {@code <dir>/savepoints/savepoint-<id>/_metadata} from a Ctrl-C; one without {@code _metadata} never completed).
 */
final class RetainedCheckpoints {

    static final String LATEST = "latest";

    private static final Logger LOG = LoggerFactory.getLogger(RetainedCheckpoints.class);

    private RetainedCheckpoints() {}

    /** The restore path for {@code restore}; throws IllegalArgumentException when there is nothing to restore. */
    static String resolve(String restore, String checkpointDir) {
        if (!LATEST.equals(restore)) {
            return restore;
        }
        Path dir = localPath(checkpointDir);
        return latest(dir)
                .map(metadata -> metadata.getParent().toString())
                .orElseThrow(
                        () -> new IllegalArgumentException("--restore latest: no complete checkpoint under " + dir));
    }

    static Optional<Path> latest(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.find(
                dir,
                3,
                (path, attributes) -> attributes.isRegularFile()
                        && path.getFileName().toString().equals("_metadata")
                        && (path.getParent().getFileName().toString().startsWith("chk-")
                                || path.getParent().getFileName().toString().startsWith("savepoint-")))) {
            return files.max(Comparator.comparing(RetainedCheckpoints::modified)
                    .thenComparing(RetainedCheckpoints::checkpointNumber));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot look for checkpoints under " + dir, e);
        }
    }

    /**
     * Deletes the checkpoints of a job that finished, {@code <dir>/<job id>}: there is nothing to resume. Flink
     * discards them itself when a job finishes (retention {@code RETAIN_ON_CANCELLATION}), but asynchronously,
     * and {@code bin/run-local}'s embedded cluster shuts down right after the job, often first: a bounded run then
     * left its final checkpoint, newer than the savepoint of the run before, for {@code --restore latest} to pick
     * (and fail on, with other data sets, or carry on from, with the same). Only a local directory; never fails
     * the run (a file it cannot delete is logged).
     *
     * @param jobId the finished job's id, as Flink names its directory (32 hex digits)
     */
    static void discardFinished(String checkpointDir, String jobId) {
        if (checkpointDir.contains("://") && !checkpointDir.startsWith("file:")) {
            return;
        }
        Path jobDir = localPath(checkpointDir).resolve(jobId);
        if (!Files.isDirectory(jobDir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(jobDir)) {
            List<Path> deepestFirst = tree.sorted(Comparator.reverseOrder()).toList();
            for (Path path : deepestFirst) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.info("Could not delete the checkpoints of the finished job under {}", jobDir, e);
        }
    }

    private static Path localPath(String directory) {
        if (!directory.contains("://")) {
            return Path.of(directory).toAbsolutePath();
        }
        URI uri = URI.create(directory);
        if (!"file".equals(uri.getScheme())) {
            throw new IllegalArgumentException("--restore latest needs a local --checkpoint-dir; for " + directory
                    + " name the checkpoint to restore");
        }
        return Path.of(uri);
    }

    private static long modified(Path metadata) {
        try {
            return Files.getLastModifiedTime(metadata).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long checkpointNumber(Path metadata) {
        String name = metadata.getParent().getFileName().toString();
        return name.startsWith("chk-") ? Long.parseLong(name.substring("chk-".length())) : 0;
    }
}
