package dev.marketdata.job.sink.twophase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * A prepared PostgreSQL transaction waiting for its checkpoint to complete: the committable of the exactly-once
 * sink.
 *
 * @param gid the global transaction id it was prepared under (see {@link TransactionIds})
 * @param deadLetterFile URI of the staged file with the transaction's dead letters, published when it commits
 *     (see {@link dev.marketdata.job.dlq.StagedDeadLetters}); null when it has none
 */
public record PgTransaction(String gid, String deadLetterFile) {

    public PgTransaction(String gid) {
        this(gid, null);
    }

    /** Checkpoint format. Version 1: the gid in UTF-8. Version 2: the gid, then the dead-letter file if any. */
    public static final class Serializer implements SimpleVersionedSerializer<PgTransaction> {

        @Override
        public int getVersion() {
            return 2;
        }

        @Override
        public byte[] serialize(PgTransaction transaction) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(128);
            out.writeUTF(transaction.gid());
            out.writeBoolean(transaction.deadLetterFile() != null);
            if (transaction.deadLetterFile() != null) {
                out.writeUTF(transaction.deadLetterFile());
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public PgTransaction deserialize(int version, byte[] serialized) throws IOException {
            switch (version) {
                case 1:
                    return new PgTransaction(new String(serialized, StandardCharsets.UTF_8));
                case 2:
                    DataInputDeserializer in = new DataInputDeserializer(serialized);
                    String gid = in.readUTF();
                    return new PgTransaction(gid, in.readBoolean() ? in.readUTF() : null);
                default:
                    throw new IOException("Unknown PgTransaction serializer version " + version);
            }
        }
    }
}
