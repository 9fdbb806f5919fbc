package dev.marketdata.job.sink.internal.writer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.sink.config.TransactionLogStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TransactionLogTest {

    @ParameterizedTest
    @EnumSource(TransactionLogStore.class)
    void replaysEveryBatchInTheOrderWrittenAndStartsAfreshAfterClear(TransactionLogStore store) throws Exception {
        try (TransactionLog<String> log = new TransactionLog<>(store)) {
            byte[] large = new byte[300_000];
            for (int i = 0; i < large.length; i++) {
                large[i] = (byte) (i * 31);
            }
            log.addCopied(bytes("first copy"), 2);
            log.addRows(List.of("upserted-1", "upserted-2"));
            log.addRows(List.of());
            log.addCopied(large, 3000);
            log.addCopied(bytes("last"), 1);

            assertThat(log.rows()).isEqualTo(2 + 2 + 3000 + 1);
            assertThat(log.bytes()).isEqualTo(10 + 300_000 + 4);
            assertThat(replayed(log))
                    .containsExactly(
                            "copy:first copy",
                            "rows:[upserted-1, upserted-2]",
                            "copy:" + new String(large, StandardCharsets.ISO_8859_1),
                            "copy:last");

            log.clear();
            assertThat(replayed(log)).isEmpty();
            assertThat(log.rows()).isZero();
            assertThat(log.bytes()).isZero();

            log.addCopied(bytes("after prepare"), 1);
            assertThat(replayed(log)).containsExactly("copy:after prepare");
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<String> replayed(TransactionLog<String> log) throws Exception {
        List<String> seen = new ArrayList<>();
        log.replay(new TransactionLog.Replay<>() {
            @Override
            public void copied(byte[] stream) {
                seen.add("copy:" + new String(stream, StandardCharsets.ISO_8859_1));
            }

            @Override
            public void rows(List<String> rows) {
                seen.add("rows:" + rows);
            }
        });
        return seen;
    }
}
