package dev.marketdata.job.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds what {@code --restore} names: a path as given, or for {@code latest} the newest complete checkpoint or
 * savepoint under the checkpoint directory ({@code <dir>/<job id>/chk-<n>/_metadata}, or
 * {@code <dir>/savepoints/savepoint-<id>/_metadata} from a Ctrl-C; one without {@code _metadata} never completed).
 */
final class RetainedCheckpoints {

    static final String LATEST = "latest";

    private RetainedCheckpoints() {}

    /** The restore path for {@code restore}; throws IllegalArgumentException when there is nothing to restore. */
    static String resolve(String restore, String checkpointDir) {
        if (!LATEST.equals(restore)) {
            return restore;
        }
        Path dir = localPath(checkpointDir);
        return latest(dir)
                .map(metadata -> metadata.getParent().toString())
                .orElseThrow(() -> new IllegalArgumentException("--restore latest: no complete checkpoint under " + dir));
    }

    static Optional<Path> latest(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.find(dir, 3, (path, attributes) -> attributes.isRegularFile()
                && path.getFileName().toString().equals("_metadata")
                && (path.getParent().getFileName().toString().startsWith("chk-")
                        || path.getParent().getFileName().toString().startsWith("savepoint-")))) {
            return files.max(Comparator.comparing(RetainedCheckpoints::modified)
                    .thenComparing(RetainedCheckpoints::checkpointNumber));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot look for checkpoints under " + dir, e);
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
