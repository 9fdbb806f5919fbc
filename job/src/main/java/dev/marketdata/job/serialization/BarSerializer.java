package dev.marketdata.job.serialization;

import dev.marketdata.sources.model.Bar;
import java.io.IOException;
import java.time.Instant;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Serializes a {@link Bar} field by field, without reflection: a byte of null flags, the three text fields in
 * Flink's string format (which carries null), {@code ts} as epoch seconds and nanoseconds, the five doubles, and
 * {@code vwap} and {@code trades} when present. Bars are immutable, so {@link #copy} hands out the same instance:
 * chained operators pass a bar on without the deep copy the POJO serializer makes.
 *
 * <p>Bars are never kept in state (see {@link RecordTypeInfo}): this format lives only on the wire between
 * operators, and in the in-flight data of an unaligned checkpoint, which the job does not take (its checkpoints and
 * every savepoint are aligned). A change of format still gets a new snapshot version.
 */
public final class BarSerializer extends TypeSerializerSingleton<Bar> {

    private static final long serialVersionUID = 1L;

    public static final BarSerializer INSTANCE = new BarSerializer();

    private static final int TS_NULL = 1;
    private static final int VWAP_NULL = 2;
    private static final int TRADES_NULL = 4;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public Bar createInstance() {
        return null;
    }

    @Override
    public Bar copy(Bar from) {
        return from;
    }

    @Override
    public Bar copy(Bar from, Bar reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Bar bar, DataOutputView out) throws IOException {
        int nulls = (bar.ts() == null ? TS_NULL : 0)
                | (bar.vwap() == null ? VWAP_NULL : 0)
                | (bar.trades() == null ? TRADES_NULL : 0);
        out.writeByte(nulls);
        StringValue.writeString(bar.symbol(), out);
        StringValue.writeString(bar.timeframe(), out);
        if (bar.ts() != null) {
            out.writeLong(bar.ts().getEpochSecond());
            out.writeInt(bar.ts().getNano());
        }
        out.writeDouble(bar.open());
        out.writeDouble(bar.high());
        out.writeDouble(bar.low());
        out.writeDouble(bar.close());
        out.writeDouble(bar.volume());
        if (bar.vwap() != null) {
            out.writeDouble(bar.vwap());
        }
        if (bar.trades() != null) {
            out.writeLong(bar.trades());
        }
        StringValue.writeString(bar.provider(), out);
    }

    @Override
    public Bar deserialize(DataInputView in) throws IOException {
        int nulls = in.readByte();
        String symbol = StringValue.readString(in);
        String timeframe = StringValue.readString(in);
        Instant ts = (nulls & TS_NULL) != 0 ? null : Instant.ofEpochSecond(in.readLong(), in.readInt());
        double open = in.readDouble();
        double high = in.readDouble();
        double low = in.readDouble();
        double close = in.readDouble();
        double volume = in.readDouble();
        Double vwap = (nulls & VWAP_NULL) != 0 ? null : in.readDouble();
        Long trades = (nulls & TRADES_NULL) != 0 ? null : in.readLong();
        String provider = StringValue.readString(in);
        return new Bar(symbol, timeframe, ts, open, high, low, close, volume, vwap, trades, provider);
    }

    @Override
    public Bar deserialize(Bar reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<Bar> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot: no configuration; version 1 is the format above. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Bar> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
