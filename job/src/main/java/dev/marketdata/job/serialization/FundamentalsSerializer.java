package dev.marketdata.job.serialization;

import static dev.marketdata.job.serialization.FieldIO.readDate;
import static dev.marketdata.job.serialization.FieldIO.readDouble;
import static dev.marketdata.job.serialization.FieldIO.readText;
import static dev.marketdata.job.serialization.FieldIO.writeDate;
import static dev.marketdata.job.serialization.FieldIO.writeDouble;
import static dev.marketdata.job.serialization.FieldIO.writeText;

import dev.marketdata.sources.model.Fundamentals;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Serializes a {@link Fundamentals} record field by field, in declaration order ({@link FieldIO}'s formats). */
public final class FundamentalsSerializer extends ImmutableRecordSerializer<Fundamentals> {

    private static final long serialVersionUID = 1L;

    public static final FundamentalsSerializer INSTANCE = new FundamentalsSerializer();

    @Override
    public void serialize(Fundamentals f, DataOutputView out) throws IOException {
        writeText(f.symbol(), out);
        out.writeInt(f.fiscalYear());
        writeText(f.fiscalPeriod(), out);
        writeDate(f.periodStart(), out);
        writeDate(f.periodEnd(), out);
        writeDate(f.filingDate(), out);
        writeDouble(f.revenue(), out);
        writeDouble(f.grossProfit(), out);
        writeDouble(f.operatingIncome(), out);
        writeDouble(f.netIncome(), out);
        writeDouble(f.epsBasic(), out);
        writeDouble(f.epsDiluted(), out);
        writeDouble(f.totalAssets(), out);
        writeDouble(f.totalLiabilities(), out);
        writeDouble(f.shareholdersEquity(), out);
        writeDouble(f.operatingCashFlow(), out);
        writeText(f.currency(), out);
        writeText(f.provider(), out);
    }

    @Override
    public Fundamentals deserialize(DataInputView in) throws IOException {
        return new Fundamentals(
                readText(in),
                in.readInt(),
                readText(in),
                readDate(in),
                readDate(in),
                readDate(in),
                readDouble(in),
                readDouble(in),
                readDouble(in),
                readDouble(in),
                readDouble(in),
                readDouble(in),
                readDouble(in),
                readDouble(in),
                readDouble(in),
                readDouble(in),
                readText(in),
                readText(in));
    }

    @Override
    public TypeSerializerSnapshot<Fundamentals> snapshotConfiguration() {
        return new Snapshot();
    }

    /** No configuration; version 1 is the format above. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Fundamentals> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
