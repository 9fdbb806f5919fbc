package dev.marketdata.sources.provider;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Checkpoint format of provider splits. Version 1: ticker, provider id?, from and to (epoch ms), cursor?, last bar
 * time? (epoch s + nanos), unknown (raw, reason, message, origin)?; {@code ?} fields carry a presence byte.
 * Strings are written as length-prefixed UTF-8 (not {@code writeUTF}, which caps at 64 KiB: a lookup body can be
 * longer).
 */
public final class ProviderSplitSerializer implements SimpleVersionedSerializer<ProviderSplit> {

    static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(ProviderSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(split, out);
        }
        return bytes.toByteArray();
    }

    @Override
    public ProviderSplit deserialize(int version, byte[] serialized) throws IOException {
        checkVersion(version);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return read(in);
        }
    }

    static void write(ProviderSplit split, DataOutputStream out) throws IOException {
        writeString(out, split.ticker());
        writeOptional(out, split.providerId().orElse(null));
        out.writeLong(split.from().toEpochMilli());
        out.writeLong(split.to().toEpochMilli());
        writeOptional(out, split.cursor().orElse(null));
        out.writeBoolean(split.lastBarTime().isPresent());
        if (split.lastBarTime().isPresent()) {
            out.writeLong(split.lastBarTime().get().getEpochSecond());
            out.writeInt(split.lastBarTime().get().getNano());
        }
        out.writeBoolean(split.unknown().isPresent());
        if (split.unknown().isPresent()) {
            RejectedItem why = split.unknown().get();
            writeOptional(out, why.raw());
            writeString(out, why.reason());
            writeString(out, why.message());
            writeOptional(out, split.unknownOrigin().orElse(null));
        }
    }

    static ProviderSplit read(DataInputStream in) throws IOException {
        String ticker = readString(in);
        String providerId = readOptional(in);
        Instant from = Instant.ofEpochMilli(in.readLong());
        Instant to = Instant.ofEpochMilli(in.readLong());
        String cursor = readOptional(in);
        Instant last = in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
        if (in.readBoolean()) {
            String raw = readOptional(in);
            String reason = readString(in);
            String message = readString(in);
            String origin = readOptional(in);
            return ProviderSplit.unknownTicker(ticker, from, to, new RejectedItem(raw, reason, message), origin);
        }
        ProviderSplit split = ProviderSplit.bars(ticker, providerId, from, to);
        return cursor == null ? split : split.advancedTo(cursor, last);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] utf8 = new byte[in.readInt()];
        in.readFully(utf8);
        return new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void writeOptional(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            writeString(out, s);
        }
    }

    private static String readOptional(DataInputStream in) throws IOException {
        return in.readBoolean() ? readString(in) : null;
    }

    static void checkVersion(int version) throws IOException {
        if (version != VERSION) {
            throw new IOException("Unknown provider split serializer version " + version);
        }
    }

    /** Checkpoint format of the enumerator (version 1): whether the lookups are done, then the pending splits. */
    public static final class EnumeratorStateSerializer implements SimpleVersionedSerializer<ProviderEnumeratorState> {

        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(ProviderEnumeratorState state) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeBoolean(state.lookedUp());
                out.writeInt(state.pending().size());
                for (ProviderSplit split : state.pending()) {
                    write(split, out);
                }
            }
            return bytes.toByteArray();
        }

        @Override
        public ProviderEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
            checkVersion(version);
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                boolean lookedUp = in.readBoolean();
                int n = in.readInt();
                List<ProviderSplit> pending = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    pending.add(read(in));
                }
                return new ProviderEnumeratorState(lookedUp, pending);
            }
        }
    }
}
