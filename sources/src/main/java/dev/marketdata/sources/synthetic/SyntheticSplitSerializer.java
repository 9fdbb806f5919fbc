package dev.marketdata.sources.synthetic;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Checkpoint format of synthetic splits (version 1: symbol index, next bar, previous close). */
public final class SyntheticSplitSerializer implements SimpleVersionedSerializer<SyntheticSplit> {

    static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(SyntheticSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(20);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(split, out);
        }
        return bytes.toByteArray();
    }

    @Override
    public SyntheticSplit deserialize(int version, byte[] serialized) throws IOException {
        checkVersion(version);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return read(in);
        }
    }

    static void write(SyntheticSplit split, DataOutputStream out) throws IOException {
        out.writeInt(split.symbolIndex());
        out.writeLong(split.nextBar());
        out.writeDouble(split.previousClose());
    }

    static SyntheticSplit read(DataInputStream in) throws IOException {
        return new SyntheticSplit(in.readInt(), in.readLong(), in.readDouble());
    }

    static void checkVersion(int version) throws IOException {
        if (version != VERSION) {
            throw new IOException("Unknown synthetic split serializer version " + version);
        }
    }

    /** Checkpoint format of the enumerator: the splits not yet assigned to a reader. */
    public static final class PendingSplits implements SimpleVersionedSerializer<Collection<SyntheticSplit>> {

        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(Collection<SyntheticSplit> splits) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(4 + 20 * splits.size());
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(splits.size());
                for (SyntheticSplit split : splits) {
                    write(split, out);
                }
            }
            return bytes.toByteArray();
        }

        @Override
        public Collection<SyntheticSplit> deserialize(int version, byte[] serialized) throws IOException {
            checkVersion(version);
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                int n = in.readInt();
                List<SyntheticSplit> splits = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    splits.add(read(in));
                }
                return splits;
            }
        }
    }
}
