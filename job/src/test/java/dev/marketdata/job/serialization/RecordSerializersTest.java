package dev.marketdata.job.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.testing.Samples;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Every data set's records move with a hand-written serializer that reads back what it wrote. */
class RecordSerializersTest {

    private static final Map<String, String> SAMPLES = Map.of(
            "bars",
            Samples.BAR,
            "options",
            Samples.OPTION_QUOTE,
            "fundamentals",
            Samples.FUNDAMENTALS,
            "news",
            Samples.NEWS);

    @Test
    void everyDataSetHasItsOwnSerializerAndTheFlinkSettingRestoresThePojoOne() {
        for (Dataset<?> dataset : Dataset.ALL) {
            assertThat(serializer(dataset))
                    .as(dataset.name())
                    .isNotInstanceOf(PojoSerializer.class)
                    .matches(TypeSerializer::isImmutableType);
            Configuration pojo = new Configuration();
            pojo.set(RecordTypes.POJO_SERIALIZERS, true);
            assertThat(RecordTypes.of(dataset.type(), pojo).createSerializer(new SerializerConfigImpl()))
                    .as(dataset.name())
                    .isInstanceOf(PojoSerializer.class);
        }
    }

    @Test
    void aSampleAndARecordOfNullsReadBackEqual() throws Exception {
        for (Dataset<?> dataset : Dataset.ALL) {
            roundTrip(dataset, dataset.json().read(Json.MAPPER.readTree(SAMPLES.get(dataset.name()))));
            roundTrip(dataset, nulls(dataset.type()));
        }
    }

    @Test
    void snapshotsRestoreTheSameSerializer() throws Exception {
        for (Dataset<?> dataset : Dataset.ALL) {
            TypeSerializer<?> serializer = serializer(dataset);
            DataOutputSerializer out = new DataOutputSerializer(64);
            TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
            TypeSerializerSnapshot<?> read = TypeSerializerSnapshot.readVersionedSnapshot(
                    new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
            assertThat(read.restoreSerializer())
                    .as(dataset.name())
                    .isSameAs(serializer.getClass().getField("INSTANCE").get(null));
        }
    }

    private static <T> TypeSerializer<T> serializer(Dataset<T> dataset) {
        return dataset.typeInfo().createSerializer(new SerializerConfigImpl());
    }

    @SuppressWarnings("unchecked")
    private static <T> void roundTrip(Dataset<T> dataset, Object record) throws Exception {
        TypeSerializer<T> serializer = serializer(dataset);
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize((T) record, out);
        serializer.serialize((T) record, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        assertThat(serializer.deserialize(in)).as(dataset.name()).isEqualTo(record);
        DataOutputSerializer copy = new DataOutputSerializer(64);
        serializer.copy(in, copy);
        assertThat(serializer.deserialize(new DataInputDeserializer(copy.getCopyOfBuffer())))
                .isEqualTo(record);
        assertThat(in.available()).isZero();
    }

    /** The record with every reference component null and every primitive zero. */
    private static Object nulls(Class<?> type) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            if (types[i] == double.class) {
                values[i] = 0.0;
            } else if (types[i] == int.class) {
                values[i] = 0;
            } else if (types[i] == long.class) {
                values[i] = 0L;
            }
        }
        Constructor<?> constructor = type.getDeclaredConstructor(types);
        return constructor.newInstance(values);
    }
}
