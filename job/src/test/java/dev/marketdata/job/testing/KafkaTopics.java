package dev.marketdata.job.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marketdata.job.MarketDataJob;
import dev.marketdata.job.cli.CommandLine;
import dev.marketdata.job.cli.JobSettings;
import dev.marketdata.job.cli.MarketDataOptions;
import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.job.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * One topic per data set on a test broker, what a test sent to them, and the dead-letter lines (without their
 * {@code rejectedAt}) the job must write for it.
 */
public final class KafkaTopics {

    public static final int PARTITIONS = 2;

    private final KafkaBrokerExtension kafka;
    private final String prefix;
    private final Map<String, List<JsonNode>> deadLetters = new LinkedHashMap<>();

    /** Creates {@code <prefix>.bars}, {@code <prefix>.options}, ... with {@link #PARTITIONS} partitions each. */
    public KafkaTopics(KafkaBrokerExtension kafka, String prefix) {
        this.kafka = kafka;
        this.prefix = prefix;
        for (Dataset<?> dataset : Dataset.ALL) {
            kafka.createTopic(topic(dataset), PARTITIONS);
            deadLetters.put(dataset.name(), new ArrayList<>());
        }
    }

    public String name(String suffix) {
        return prefix + "." + suffix;
    }

    public String topic(Dataset<?> dataset) {
        return name(dataset.name());
    }

    /** The job's options that point every data set at its topic here. */
    public List<String> topicOptions() {
        List<String> options = new ArrayList<>();
        for (Dataset<?> dataset : Dataset.ALL) {
            options.addAll(List.of("--kafka-topic-" + dataset.name(), topic(dataset)));
        }
        return options;
    }

    /**
     * Sends the valid and the spoiled records of {@code expected}, keyed and partitioned by routing key, and
     * expects each spoiled one to be dead-lettered; returns the rows the table must then hold.
     */
    public <T> List<T> publish(Dataset<T> dataset, ExpectedDataset<T> expected) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (T record : expected.valid()) {
            records.add(record(dataset, record));
        }
        for (ExpectedDataset.Rejected<T> rejected : expected.rejected()) {
            records.add(record(dataset, rejected.record()));
            expectRejected(
                    dataset,
                    rejected.record(),
                    rejected.reason(),
                    dataset.validator().check(rejected.record()).message());
        }
        kafka.produceAll(records);
        return new ArrayList<>(expected.valid());
    }

    public <T> void sendRecord(Dataset<T> dataset, T record) {
        kafka.produceAll(List.of(record(dataset, record)));
    }

    /** Expects {@code record} to be rejected by validation with this reason and message. */
    public <T> void expectRejected(Dataset<T> dataset, T record, String reason, String message) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("dataset", dataset.name())
                .put("stage", "validate")
                .put("reason", reason)
                .put("message", message);
        line.set("record", json(Json.toJson(dataset.json(), record).getBytes(UTF_8)));
        deadLetters.get(dataset.name()).add(line);
    }

    /** Sends a text value that is no record, and expects it dead-lettered at the parse stage. */
    public void sendMalformed(Dataset<?> dataset, String value, String reason, String message) {
        sendBytes(dataset, value.getBytes(UTF_8), reason, message, value, "text");
    }

    /** Sends raw bytes (or a tombstone, null), and expects them dead-lettered with this raw form. */
    public void sendBytes(
            Dataset<?> dataset, byte[] value, String reason, String message, String raw, String encoding) {
        RecordMetadata at = kafka.produceAll(List.of(new ProducerRecord<>(topic(dataset), 1, null, value)))
                .get(0);
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("dataset", dataset.name())
                .put("stage", "parse")
                .put("reason", reason)
                .put("message", message);
        if (raw != null) {
            line.put("raw", raw).put("rawEncoding", encoding);
        }
        line.put("origin", at.topic() + "/" + at.partition() + "/" + at.offset());
        deadLetters.get(dataset.name()).add(line);
    }

    /** The dead-letter lines (without their time) the job must write for {@code dataset}. */
    public List<JsonNode> deadLetters(Dataset<?> dataset) {
        return deadLetters.get(dataset.name());
    }

    /** A dead-letter line without its {@code rejectedAt}, which is the wall clock's. */
    public static JsonNode withoutTime(JsonNode line) {
        if (Instant.parse(line.get("rejectedAt").asText()).isAfter(Instant.now().plusSeconds(1))) {
            throw new AssertionError("rejectedAt in the future: " + line);
        }
        ObjectNode copy = line.deepCopy();
        copy.remove("rejectedAt");
        return copy;
    }

    public static JsonNode json(byte[] bytes) {
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> ProducerRecord<byte[], byte[]> record(Dataset<T> dataset, T record) {
        String key;
        try {
            key = dataset.routingKey().getKey(record);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        // Partitioned by key, as a gateway would: a key's records stay in order.
        return new ProducerRecord<>(
                topic(dataset),
                Math.floorMod(key.hashCode(), PARTITIONS),
                key.getBytes(UTF_8),
                Json.toJson(dataset.json(), record).getBytes(UTF_8));
    }

    /**
     * Runs the job as {@code flink run} wires it, bounded, over these topics from the earliest offsets until it has
     * read everything sent so far: parallelism 2, 300 ms checkpoints, batches of at most 50 rows.
     *
     * @param datasets the {@code --datasets} value, e.g. {@code bars,news}
     * @param more further options, e.g. {@code --dlq-dir}
     */
    public void runJob(String bootstrapServers, String jdbcUrl, String datasets, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--source",
                "kafka",
                "--kafka-bootstrap",
                bootstrapServers,
                "--kafka-bounded",
                "--kafka-starting-offsets",
                "earliest",
                "--kafka-group",
                name("group"),
                "--datasets",
                datasets,
                "--jdbc-url",
                jdbcUrl,
                "--parallelism",
                "2",
                "--checkpoint-interval",
                "300ms",
                "--sink.batch.max-rows",
                "50"));
        args.addAll(topicOptions());
        args.addAll(List.of(more));
        JobSettings settings =
                JobSettings.from(CommandLine.parse(args.toArray(String[]::new), MarketDataOptions.ALL), Map.of());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(settings.flinkConfiguration());
        MarketDataJob.wire(env, settings);
        env.execute(name("job"));
    }
}
