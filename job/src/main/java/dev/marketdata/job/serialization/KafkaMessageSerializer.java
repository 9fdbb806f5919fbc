package dev.marketdata.job.serialization;

import static dev.marketdata.job.serialization.FieldIO.readText;
import static dev.marketdata.job.serialization.FieldIO.writeText;

import dev.marketdata.job.kafka.KafkaMessage;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializes a {@link KafkaMessage}: topic, partition, offset, timestamp, then the value as its length ({@code -1}
 * for a tombstone) and bytes.
 *
 * <p>Its point is {@link #copy}: with object reuse off, Flink copies every record a chained source hands to the
 * next operator, and the POJO serializer's copy of a message is a reflective rebuild with a copy of the value's
 * bytes, once per Kafka record. No operator changes a message or its bytes, so the copy is the message itself.
 */
public final class KafkaMessageSerializer extends ImmutableRecordSerializer<KafkaMessage> {

    private static final long serialVersionUID = 1L;

    public static final KafkaMessageSerializer INSTANCE = new KafkaMessageSerializer();

    @Override
    public void serialize(KafkaMessage m, DataOutputView out) throws IOException {
        writeText(m.topic(), out);
        out.writeInt(m.partition());
        out.writeLong(m.offset());
        out.writeLong(m.timestamp());
        if (m.value() == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(m.value().length);
            out.write(m.value());
        }
    }

    @Override
    public KafkaMessage deserialize(DataInputView in) throws IOException {
        String topic = readText(in);
        int partition = in.readInt();
        long offset = in.readLong();
        long timestamp = in.readLong();
        int length = in.readInt();
        byte[] value = null;
        if (length >= 0) {
            value = new byte[length];
            in.readFully(value);
        }
        return new KafkaMessage(topic, partition, offset, timestamp, value);
    }

    @Override
    public TypeSerializerSnapshot<KafkaMessage> snapshotConfiguration() {
        return new Snapshot();
    }

    /** No configuration; version 1 is the format above. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<KafkaMessage> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
