package dev.marketdata.job.serialization;

import static dev.marketdata.job.serialization.FieldIO.readDate;
import static dev.marketdata.job.serialization.FieldIO.readDouble;
import static dev.marketdata.job.serialization.FieldIO.readInstant;
import static dev.marketdata.job.serialization.FieldIO.readLong;
import static dev.marketdata.job.serialization.FieldIO.readText;
import static dev.marketdata.job.serialization.FieldIO.writeDate;
import static dev.marketdata.job.serialization.FieldIO.writeDouble;
import static dev.marketdata.job.serialization.FieldIO.writeInstant;
import static dev.marketdata.job.serialization.FieldIO.writeLong;
import static dev.marketdata.job.serialization.FieldIO.writeText;

import dev.marketdata.sources.model.OptionQuote;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Serializes an {@link OptionQuote} field by field, in declaration order ({@link FieldIO}'s formats). */
public final class OptionQuoteSerializer extends ImmutableRecordSerializer<OptionQuote> {

    private static final long serialVersionUID = 1L;

    public static final OptionQuoteSerializer INSTANCE = new OptionQuoteSerializer();

    @Override
    public void serialize(OptionQuote q, DataOutputView out) throws IOException {
        writeText(q.contract(), out);
        writeText(q.underlying(), out);
        writeDate(q.expiration(), out);
        out.writeDouble(q.strike());
        writeText(q.optionRight(), out);
        out.writeDouble(q.bid());
        out.writeDouble(q.ask());
        writeDouble(q.last(), out);
        writeLong(q.bidSize(), out);
        writeLong(q.askSize(), out);
        writeLong(q.volume(), out);
        writeLong(q.openInterest(), out);
        writeDouble(q.impliedVolatility(), out);
        writeDouble(q.delta(), out);
        writeDouble(q.gamma(), out);
        writeDouble(q.theta(), out);
        writeDouble(q.vega(), out);
        writeDouble(q.rho(), out);
        writeInstant(q.ts(), out);
        writeText(q.provider(), out);
    }

    @Override
    public OptionQuote deserialize(DataInputView in) throws IOException {
        return new OptionQuote(
                readText(in),
                readText(in),
                readDate(in),
                in.readDouble(),
                readText(in),
                in.readDouble(),
                in.readDouble(),
                readDouble(in),
                readLong(in),
                readLong(in),
                readLong(in),
                readLong(in),
                readDouble(in),
                readDouble(in),
                readDouble(in),
                readDouble(in),
                readDouble(in),
                readDouble(in),
                readInstant(in),
                readText(in));
    }

    @Override
    public TypeSerializerSnapshot<OptionQuote> snapshotConfiguration() {
        return new Snapshot();
    }

    /** No configuration; version 1 is the format above. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<OptionQuote> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
