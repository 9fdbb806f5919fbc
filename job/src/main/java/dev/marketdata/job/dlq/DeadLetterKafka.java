package dev.marketdata.job.dlq;

import dev.marketdata.job.core.Delivery;
import dev.marketdata.job.kafka.KafkaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The dead-letter queue as a Kafka topic: one record per dead letter, keyed by data set, its value the same JSON
 * object as a line of the NDJSON files. With exactly-once delivery it writes in Kafka transactions committed with
 * Flink's checkpoints, so a {@code read_committed} consumer sees each dead letter once, even across a restore;
 * with at-least-once delivery a restore may repeat some.
 */
public final class DeadLetterKafka {

    /**
     * How long a transaction may stay open: longer than a checkpoint interval plus a restart, and no longer than
     * the brokers' {@code transaction.max.timeout.ms} (15 minutes by default). A job down for longer loses the
     * dead letters of its last unfinished checkpoint.
     */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    private DeadLetterKafka() {}

    /**
     * @param transactionalIdPrefix unique per job on the Kafka cluster (two jobs with one prefix would fence each
     *     other's transactions)
     */
    public static KafkaSink<DeadLetter> sink(
            KafkaSettings settings, String topic, Delivery delivery, String transactionalIdPrefix) {
        KafkaSinkBuilder<DeadLetter> builder = KafkaSink.<DeadLetter>builder()
                .setKafkaProducerConfig(settings.clientProperties())
                .setBootstrapServers(settings.bootstrapServers())
                .setRecordSerializer(new Records(topic));
        if (delivery == Delivery.EXACTLY_ONCE) {
            builder.setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                    .setTransactionalIdPrefix(transactionalIdPrefix)
                    .setProperty(
                            ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(TRANSACTION_TIMEOUT.toMillis()));
        } else {
            builder.setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE);
        }
        return builder.build();
    }

    /** A dead letter as a Kafka record: key the data set, value the JSON object. */
    static final class Records implements KafkaRecordSerializationSchema<DeadLetter> {

        private static final long serialVersionUID = 1L;

        private final String topic;

        Records(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(DeadLetter letter, KafkaSinkContext context, Long timestamp) {
            try {
                return new ProducerRecord<>(
                        topic,
                        null,
                        letter.rejectedAtMillis(),
                        letter.dataset().getBytes(StandardCharsets.UTF_8),
                        DeadLetterEncoder.toJsonBytes(letter));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write a dead letter of " + letter.dataset() + " as JSON", e);
            }
        }
    }
}
