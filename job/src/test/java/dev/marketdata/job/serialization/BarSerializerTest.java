package dev.marketdata.job.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.sources.model.Bar;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class BarSerializerTest {

    private static final List<Bar> BARS = List.of(
            new Bar(
                    "AAPL",
                    "1m",
                    Instant.parse("2024-03-01T14:30:00Z"),
                    182.1,
                    182.5,
                    181.9,
                    182.2,
                    12345.5,
                    182.25,
                    812L,
                    "polygon"),
            new Bar(
                    "BRK.B",
                    "1d",
                    Instant.parse("0001-01-01T00:00:00.000001Z"),
                    Double.MIN_VALUE,
                    Double.MAX_VALUE,
                    -0.0,
                    Double.NaN,
                    Double.POSITIVE_INFINITY,
                    null,
                    null,
                    "synthetic"),
            new Bar(
                    "X:BTCUSD",
                    "5m",
                    Instant.parse("9999-12-31T23:59:59.999999999Z"),
                    1,
                    2,
                    0.5,
                    1.5,
                    0,
                    1.25,
                    Long.MIN_VALUE,
                    "Ünïcödé \uD83D\uDE00 provider"),
            new Bar(null, null, null, 0, 0, 0, 0, 0, null, Long.MAX_VALUE, null),
            new Bar("", "", Instant.ofEpochSecond(-1, 999_999_999), 1, 1, 1, 1, 1, Double.NEGATIVE_INFINITY, 0L, ""));

    private final TypeSerializer<Bar> serializer = Dataset.BARS.typeInfo().createSerializer(new SerializerConfigImpl());

    @Test
    void theBarsDataSetUsesIt() {
        assertThat(serializer).isInstanceOf(BarSerializer.class);
        assertThat(Dataset.BARS.typeInfo()).isEqualTo(RecordTypes.of(Bar.class));
    }

    @Test
    void everyBarReadsBackEqual() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (Bar bar : BARS) {
            serializer.serialize(bar, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (Bar bar : BARS) {
            assertThat(serializer.deserialize(in)).isEqualTo(bar);
        }
        assertThat(in.available()).isZero();
    }

    @Test
    void copiesOfTheSerializedFormAreTheSameBytes() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        BARS.forEach(bar -> write(bar, out));
        byte[] original = out.getCopyOfBuffer();
        DataInputDeserializer in = new DataInputDeserializer(original);
        DataOutputSerializer copy = new DataOutputSerializer(64);
        for (int i = 0; i < BARS.size(); i++) {
            serializer.copy(in, copy);
        }
        assertThat(copy.getCopyOfBuffer()).isEqualTo(original);
    }

    @Test
    void barsAreImmutableSoCopiesAreTheSameInstance() {
        assertThat(serializer.isImmutableType()).isTrue();
        assertThat(serializer.copy(BARS.get(0))).isSameAs(BARS.get(0));
    }

    @Test
    void itsSnapshotRestoresItAndIsCompatibleAsIs() throws Exception {
        TypeSerializerSnapshot<Bar> snapshot = serializer.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<Bar> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(read.restoreSerializer()).isInstanceOf(BarSerializer.class);
        TypeSerializerSchemaCompatibility<Bar> compatibility =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(read);
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
    }

    private void write(Bar bar, DataOutputSerializer out) {
        try {
            serializer.serialize(bar, out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
