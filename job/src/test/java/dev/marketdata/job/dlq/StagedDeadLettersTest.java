package dev.marketdata.job.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedDeadLettersTest {

    private static final String GID = "mds:job:db:bars:1:7";

    @TempDir
    Path dir;

    private static DeadLetter letter(String record) {
        return DeadLetter.refused("bars", "23514", "refused", record, 0);
    }

    private List<String> files() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("bars"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void stagesATransactionsLettersHiddenAndPublishesThemOnce() throws Exception {
        String uri = DeadLetterFiles.toUri(dir.toString());
        String staged;
        try (StagedDeadLetters letters = new StagedDeadLetters(uri, "bars")) {
            letters.add(GID, List.of(letter("{\"a\":1}")));
            letters.add(GID, List.of(letter("{\"a\":2}")));
            assertThat(letters.seal("mds:job:db:bars:1:8")).isNull(); // no letters in that transaction
            staged = letters.seal(GID);
        }
        assertThat(files()).containsExactly(".staged-mds~job~db~bars~1~7.ndjson");
        assertThat(StagedDeadLetters.stagedGids(uri, "bars", "mds:job:db:bars:"))
                .containsExactly(GID);
        assertThat(StagedDeadLetters.stagedGids(uri, "bars", "mds:job:db:ticks:"))
                .isEmpty();

        assertThat(StagedDeadLetters.publish(staged)).isTrue();
        assertThat(StagedDeadLetters.publish(staged)).isTrue(); // a replayed commit: published before

        assertThat(files()).containsExactly("dead-letters-write-mds~job~db~bars~1~7.ndjson");
        assertThat(Files.readAllLines(dir.resolve("bars/dead-letters-write-mds~job~db~bars~1~7.ndjson")))
                .hasSize(2)
                .allSatisfy(line -> assertThat(line).startsWith("{\"dataset\":\"bars\",\"stage\":\"write\""));
    }

    @Test
    void discardsTheLettersOfATransactionThatNeverCommits() throws Exception {
        String uri = DeadLetterFiles.toUri(dir.toString());
        try (StagedDeadLetters letters = new StagedDeadLetters(uri, "bars")) {
            letters.add(GID, List.of(letter("{}")));
        }
        StagedDeadLetters.discard(uri, "bars", GID);
        assertThat(files()).isEmpty();
        assertThat(StagedDeadLetters.publish(uri + "/bars/.staged-mds~job~db~bars~1~7.ndjson"))
                .isFalse();
    }

    @Test
    void aLettersKeyDependsOnWhatItSaysNotOnWhenItWasSaid() {
        DeadLetter a = DeadLetter.refused("bars", "23514", "refused", "{\"a\":1}", 1);
        assertThat(a.key())
                .isEqualTo(DeadLetter.refused("bars", "23514", "other words", "{\"a\":1}", 2)
                        .key());
        assertThat(a.key())
                .isNotEqualTo(DeadLetter.refused("bars", "23502", "refused", "{\"a\":1}", 1)
                        .key());
        assertThat(a.key())
                .isNotEqualTo(DeadLetter.refused("bars", "23514", "refused", "{\"a\":2}", 1)
                        .key());
    }
}
