package dev.marketdata.sources.provider.live;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Version 1: provider, started, then per ticker its name, epoch second and nano of its position. */
final class LiveSplitSerializer implements SimpleVersionedSerializer<LiveSplit> {

    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(LiveSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out, split);
        }
        return bytes.toByteArray();
    }

    static void write(DataOutputStream out, LiveSplit split) throws IOException {
        out.writeUTF(split.provider());
        out.writeBoolean(split.started());
        out.writeInt(split.positions().size());
        for (Map.Entry<String, Instant> e : split.positions().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue().getEpochSecond());
            out.writeInt(e.getValue().getNano());
        }
    }

    @Override
    public LiveSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown live split version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return read(in);
        }
    }

    static LiveSplit read(DataInputStream in) throws IOException {
        String provider = in.readUTF();
        boolean started = in.readBoolean();
        int n = in.readInt();
        Map<String, Instant> positions = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            positions.put(in.readUTF(), Instant.ofEpochSecond(in.readLong(), in.readInt()));
        }
        return new LiveSplit(provider, positions, started);
    }

    /** The enumerator's state: the split when no reader holds it. Version 1: count, then the splits. */
    static final class EnumeratorStateSerializer implements SimpleVersionedSerializer<List<LiveSplit>> {

        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(List<LiveSplit> pending) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(pending.size());
                for (LiveSplit split : pending) {
                    write(out, split);
                }
            }
            return bytes.toByteArray();
        }

        @Override
        public List<LiveSplit> deserialize(int version, byte[] serialized) throws IOException {
            if (version != VERSION) {
                throw new IOException("unknown live enumerator state version " + version);
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                int n = in.readInt();
                List<LiveSplit> pending = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    pending.add(read(in));
                }
                return pending;
            }
        }
    }
}
