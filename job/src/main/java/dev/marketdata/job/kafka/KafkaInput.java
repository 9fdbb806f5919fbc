package dev.marketdata.job.kafka;

import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Builds the Kafka source of one data set's topic, yielding raw {@link KafkaMessage}s for the parse operator. */
public final class KafkaInput {

    private KafkaInput() {}

    /**
     * The source of {@code topic}. Its position lives in Flink's checkpoints; offsets are also committed to the
     * consumer group on each checkpoint, for lag monitoring and for {@code --kafka-starting-offsets committed}.
     * Bounded, it stops at the offsets that were the partitions' ends when the job first started (they are part
     * of the checkpointed splits), also after a restore ({@link FinishingKafkaSource}).
     */
    @SuppressWarnings("deprecation") // OffsetResetStrategy: the connector's API still takes it
    public static Source<KafkaMessage, ?, ?> source(KafkaSettings settings, String dataset) {
        KafkaSourceBuilder<KafkaMessage> builder = KafkaSource.<KafkaMessage>builder()
                .setProperties(settings.clientProperties())
                // A provider gateway writing transactionally must never have its aborted records stored.
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .setBootstrapServers(settings.bootstrapServers())
                .setGroupId(settings.groupId())
                // One client id per data set: the sources of one job share the group.
                .setClientIdPrefix(settings.groupId() + "-" + dataset)
                .setTopics(settings.topic(dataset))
                .setDeserializer(new KafkaMessages())
                .setStartingOffsets(
                        switch (settings.startingOffsets()) {
                            case EARLIEST -> OffsetsInitializer.earliest();
                            case LATEST -> OffsetsInitializer.latest();
                            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
                        });
        if (settings.clientProperties().containsKey(ConsumerConfig.ISOLATION_LEVEL_CONFIG)) {
            builder.setProperty(
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                    settings.clientProperties().getProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        }
        if (settings.bounded()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return new FinishingKafkaSource<>(builder.build());
    }
}
