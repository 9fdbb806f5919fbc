package dev.marketdata.job.kafka;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import java.util.Map;
import java.util.Properties;

/**
 * Where the Kafka cluster is and how the job reads it: the consumer group, where a fresh start begins, whether the
 * run stops at the offsets that were latest when it started, each data set's topic, and client properties (e.g.
 * security) from a file.
 *
 * @param topics topic per data set name
 * @param clientProperties extra Kafka client properties, applied before the ones the options set
 */
public record KafkaSettings(
        String bootstrapServers,
        String groupId,
        StartingOffsets startingOffsets,
        boolean bounded,
        Map<String, String> topics,
        Properties clientProperties) {

    /** Where a job that has no checkpoint to restore starts reading. */
    public enum StartingOffsets {
        /** The beginning of each partition. */
        EARLIEST,
        /** The end of each partition: only records produced after the start. */
        LATEST,
        /** The consumer group's committed offsets; the beginning where the group has none. */
        COMMITTED
    }

    public KafkaSettings {
        checkNotNull(bootstrapServers, "--kafka-bootstrap is required with --source kafka or --dlq-kafka-topic");
        checkArgument(!bootstrapServers.isBlank(), "--kafka-bootstrap must not be empty");
        checkArgument(groupId != null && !groupId.isBlank(), "--kafka-group must not be empty");
        checkNotNull(startingOffsets, "--kafka-starting-offsets must be set");
        topics = Map.copyOf(topics);
        topics.forEach((dataset, topic) -> checkArgument(
                topic != null && !topic.isBlank(), "the Kafka topic of data set %s must not be empty", dataset));
        Properties copy = new Properties();
        copy.putAll(clientProperties);
        clientProperties = copy;
    }

    public String topic(String dataset) {
        String topic = topics.get(dataset);
        checkArgument(topic != null, "no Kafka topic for data set %s", dataset);
        return topic;
    }

    /** Client properties shown nowhere: they may hold credentials. */
    @Override
    public String toString() {
        return "KafkaSettings{bootstrapServers=" + bootstrapServers + ", groupId=" + groupId + ", startingOffsets="
                + startingOffsets + ", bounded=" + bounded + ", topics=" + topics + ", clientProperties="
                + clientProperties.stringPropertyNames() + "}";
    }
}
