package dev.marketdata.job.sink.twophase;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PgTransactionTest {

    private final PgTransaction.Serializer serializer = new PgTransaction.Serializer();

    @Test
    void roundTripsWithAndWithoutADeadLetterFile() throws Exception {
        for (PgTransaction t : new PgTransaction[] {
            new PgTransaction("mds:j:db:bars:0:3"),
            new PgTransaction("mds:j:db:bars:0:4", "file:/dlq/bars/.staged-x.ndjson")
        }) {
            assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(t)))
                    .isEqualTo(t);
        }
    }

    @Test
    void readsCommittablesOfTheFirstVersionFromOldCheckpoints() throws Exception {
        assertThat(serializer.deserialize(1, "mds:j:db:bars:0:3".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new PgTransaction("mds:j:db:bars:0:3"));
    }
}
