package dev.marketdata.job.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code --restore latest} picks, and that a finished job's checkpoints are not among it. */
class RetainedCheckpointsTest {

    private static final String STOPPED = "199c584498dafc4c5dbce7a69fd81e60";
    private static final String FINISHED = "af3aea7252b90b5ea520b5a2bd887c69";

    @Test
    void aFinishedRunsCheckpointIsDiscardedSoLatestIsTheSavepointOfTheRunBefore(@TempDir Path dir) throws Exception {
        // The README's order: an unbounded run stopped with Ctrl-C (its last checkpoint and its savepoint), then a
        // bounded run that finished, its final checkpoint left behind by the embedded cluster's shutdown.
        Path stoppedCheckpoint = metadata(dir.resolve(STOPPED).resolve("chk-15"), "2026-11-30T08:04:43Z");
        Path savepoint =
                metadata(dir.resolve("savepoints").resolve("savepoint-199c58-d52a20bc44af"), "2026-11-30T08:04:48Z");
        Path finished = metadata(dir.resolve(FINISHED).resolve("chk-1"), "2026-11-30T08:06:06Z");
        Files.createDirectories(dir.resolve(FINISHED).resolve("shared"));
        assertThat(RetainedCheckpoints.latest(dir)).contains(finished);

        RetainedCheckpoints.discardFinished(dir.toString(), FINISHED);

        assertThat(dir.resolve(FINISHED)).doesNotExist();
        assertThat(RetainedCheckpoints.latest(dir)).contains(savepoint);
        assertThat(RetainedCheckpoints.resolve(
                        RetainedCheckpoints.LATEST, dir.toUri().toString()))
                .isEqualTo(savepoint.getParent().toString());
        assertThat(stoppedCheckpoint).exists();
    }

    @Test
    void discardingAJobWithoutCheckpointsOrOnARemoteFileSystemChangesNothing(@TempDir Path dir) throws Exception {
        Path kept = metadata(dir.resolve(STOPPED).resolve("chk-2"), "2026-11-30T08:00:00Z");

        RetainedCheckpoints.discardFinished(dir.toString(), FINISHED);
        RetainedCheckpoints.discardFinished("s3://bucket/checkpoints", STOPPED);

        assertThat(RetainedCheckpoints.latest(dir)).contains(kept);
    }

    private static Path metadata(Path checkpoint, String modified) throws IOException {
        Path file = Files.writeString(Files.createDirectories(checkpoint).resolve("_metadata"), "metadata");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse(modified)));
        return file;
    }
}
