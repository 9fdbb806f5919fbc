package dev.marketdata.job.sink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A prepared PostgreSQL transaction waiting for its checkpoint to complete: the committable of the exactly-once
 * sink.
 *
 * @param gid the global transaction id it was prepared under (see {@link TransactionIds})
 */
public record PgTransaction(String gid) {

    /** Checkpoint format (version 1: the gid in UTF-8). */
    public static final class Serializer implements SimpleVersionedSerializer<PgTransaction> {

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(PgTransaction transaction) {
            return transaction.gid().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public PgTransaction deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("Unknown PgTransaction serializer version " + version);
            }
            return new PgTransaction(new String(serialized, StandardCharsets.UTF_8));
        }
    }
}
