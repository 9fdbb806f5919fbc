package dev.marketdata.job.kafka;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Kafka record as it arrived: where it sits in its topic and its value's raw bytes, so that parsing happens in
 * an operator of its own and an unparseable value reaches the dead-letter queue with its coordinates. The job
 * moves it with {@code KafkaMessageSerializer} (or, with {@code market-data.pojo-serializers}, Flink's POJO
 * serializer): nothing may change a message or its value's bytes once made.
 *
 * @param value the value's bytes, or null for a tombstone
 * @param timestamp the record's Kafka timestamp (epoch milliseconds)
 */
public record KafkaMessage(String topic, int partition, long offset, long timestamp, byte[] value) {

    /** {@code topic/partition/offset}: a dead letter's {@code origin}. */
    public String origin() {
        return topic + '/' + partition + '/' + offset;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaMessage m
                && partition == m.partition
                && offset == m.offset
                && timestamp == m.timestamp
                && Objects.equals(topic, m.topic)
                && Arrays.equals(value, m.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset, timestamp) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "KafkaMessage[" + origin() + ", " + (value == null ? "null" : value.length + " bytes") + "]";
    }
}
