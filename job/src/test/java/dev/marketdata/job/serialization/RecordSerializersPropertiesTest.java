package dev.marketdata.job.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.job.kafka.KafkaMessage;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * The hand-written record serializers over each field's whole domain, not hand-picked samples: any UTF-16 text
 * (NUL, lone surrogates, beyond the 65,535 bytes {@code writeUTF} could carry), every double bit pattern (NaN,
 * infinities, -0.0, subnormals), any long, every {@link Instant} and {@link LocalDate} Java can hold, null wherever
 * the type allows it. What goes between operators must come out equal, or a record would be stored altered
 * without any rule having seen it.
 */
class RecordSerializersPropertiesTest {

    @Property(tries = 400)
    void everyRecordOfEveryDataSetReadsBackEqual(@ForAll("records") Object record) throws Exception {
        Dataset<?> dataset = Dataset.ALL.stream()
                .filter(d -> d.type() == record.getClass())
                .findFirst()
                .orElseThrow();
        roundTrip(dataset, record);
    }

    @Property(tries = 200)
    void everyKafkaMessageReadsBackEqual(@ForAll("kafkaMessages") Object message) throws Exception {
        TypeSerializer<KafkaMessage> serializer = KafkaMessageSerializer.INSTANCE;
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize((KafkaMessage) message, out);
        assertThat(serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
                .isEqualTo(message);
    }

    @Provide
    Arbitrary<Object> kafkaMessages() {
        return record(KafkaMessage.class);
    }

    @Provide
    Arbitrary<Object> records() {
        return Arbitraries.oneOf(Dataset.ALL.stream()
                .<Arbitrary<Object>>map(d -> record(d.type()))
                .toList());
    }

    @SuppressWarnings("unchecked")
    private static <T> void roundTrip(Dataset<T> dataset, Object record) throws Exception {
        TypeSerializer<T> serializer = dataset.typeInfo().createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize((T) record, out);
        T read = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(read).as(dataset.name()).isEqualTo(record);
    }

    private static Arbitrary<Object> record(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        List<Arbitrary<Object>> fields = new ArrayList<>();
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            fields.add(field(components[i].getGenericType()));
        }
        return Combinators.combine(fields).as(values -> construct(type, types, values));
    }

    private static Object construct(Class<?> type, Class<?>[] types, List<Object> values) {
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            return constructor.newInstance(values.toArray());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " cannot be made from " + values, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Arbitrary<Object> field(Type type) {
        if (type == String.class) {
            return (Arbitrary<Object>) (Arbitrary<?>) text().injectNull(0.1);
        }
        if (type == double.class) {
            return (Arbitrary<Object>) (Arbitrary<?>) anyDouble();
        }
        if (type == Double.class) {
            return (Arbitrary<Object>) (Arbitrary<?>) anyDouble().injectNull(0.2);
        }
        if (type == long.class) {
            return (Arbitrary<Object>) (Arbitrary<?>) Arbitraries.longs();
        }
        if (type == Long.class) {
            return (Arbitrary<Object>) (Arbitrary<?>) Arbitraries.longs().injectNull(0.2);
        }
        if (type == int.class) {
            return (Arbitrary<Object>) (Arbitrary<?>) Arbitraries.integers();
        }
        if (type == Instant.class) {
            return (Arbitrary<Object>) (Arbitrary<?>) Combinators.combine(
                            Arbitraries.longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()),
                            Arbitraries.integers().between(0, 999_999_999))
                    .as(Instant::ofEpochSecond)
                    .injectNull(0.1);
        }
        if (type == LocalDate.class) {
            return (Arbitrary<Object>) (Arbitrary<?>) Arbitraries.longs()
                    .between(LocalDate.MIN.toEpochDay(), LocalDate.MAX.toEpochDay())
                    .map(LocalDate::ofEpochDay)
                    .injectNull(0.1);
        }
        if (type == byte[].class) {
            return (Arbitrary<Object>) (Arbitrary<?>)
                    Arbitraries.bytes().array(byte[].class).ofMaxSize(2_000).injectNull(0.1);
        }
        if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
            return (Arbitrary<Object>)
                    (Arbitrary<?>) text().injectNull(0.1).list().ofMaxSize(5).injectNull(0.2);
        }
        throw new IllegalArgumentException("no generator for a field of type " + type);
    }

    /** Any UTF-16 text, short mostly, now and then longer than a 16-bit length prefix can count. */
    private static Arbitrary<String> text() {
        return Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.strings().all().ofMaxLength(40)),
                Tuple.of(1, Arbitraries.strings().all().ofLength(70_000)));
    }

    /** Every bit pattern of a double: NaNs, infinities, -0.0 and subnormals included. */
    private static Arbitrary<Double> anyDouble() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(Double::longBitsToDouble),
                Arbitraries.of(
                        Double.NaN,
                        Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY,
                        -0.0,
                        Double.MIN_VALUE,
                        Double.MAX_VALUE));
    }
}
