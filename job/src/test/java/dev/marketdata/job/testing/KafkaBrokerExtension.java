package dev.marketdata.job.testing;

import dev.marketdata.job.local.FreePorts;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** JUnit 5 extension running a single-node, in-process Apache Kafka broker in KRaft mode (broker + controller) on 127.0.0.1. */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerExtension.class);
    private static final String HOST = "127.0.0.1";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int NODE_ID = 1;
    private static final int START_ATTEMPTS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Map<String, String> overrides;

    private Path dataDir;
    private KafkaRaftServer server;
    private String bootstrapServers;
    private Admin admin;
    private KafkaProducer<byte[], byte[]> producer;
    private String ownerContextId;

    public KafkaBrokerExtension() {
        this(Map.of());
    }

    /** Broker properties given here win over the defaults below. */
    public KafkaBrokerExtension(Map<String, String> brokerConfigOverrides) {
        this.overrides = Map.copyOf(brokerConfigOverrides);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        // @Nested classes call beforeAll/afterAll again; only the outermost registration owns the broker.
        if (server != null) {
            return;
        }
        ownerContextId = context.getUniqueId();
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getUniqueId().equals(ownerContextId)) {
            stop();
        }
    }

    public String bootstrapServers() {
        if (bootstrapServers == null) {
            throw new IllegalStateException("Kafka broker is not running");
        }
        return bootstrapServers;
    }

    public void createTopic(String name, int partitions) {
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            // The controller acknowledges before the broker's metadata cache has the topic; wait so callers never see
            // it missing.
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!brokerKnows(name, partitions)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Topic " + name + " did not appear in broker metadata");
                }
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not create topic " + name, unwrap(e));
        }
    }

    private boolean brokerKnows(String topic, int partitions) throws Exception {
        try {
            List<TopicPartitionInfo> infos = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic)
                    .partitions();
            return infos.size() == partitions
                    && infos.stream()
                            .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
    }

    public void produce(String topic, int partition, byte[] key, byte[] value) {
        try {
            producer()
                    .send(new ProducerRecord<>(topic, partition, key, value))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            producer().flush();
        } catch (Exception e) {
            throw new IllegalStateException("Could not produce to " + topic + "-" + partition, unwrap(e));
        }
    }

    /** Sends every record and waits until all are acknowledged; returns where each landed, in order. */
    public List<RecordMetadata> produceAll(List<ProducerRecord<byte[], byte[]>> records) {
        try {
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            for (ProducerRecord<byte[], byte[]> record : records) {
                sent.add(producer().send(record));
            }
            producer().flush();
            List<RecordMetadata> landed = new ArrayList<>(sent.size());
            for (Future<RecordMetadata> future : sent) {
                landed.add(future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            }
            return landed;
        } catch (Exception e) {
            throw new IllegalStateException("Could not produce " + records.size() + " records", unwrap(e));
        }
    }

    /**
     * Everything committed in {@code topic} at call time (read_committed: aborted and still-open transactional
     * records are not returned), ordered by partition, then offset.
     */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Properties props = clientProps();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .sorted(Comparator.comparingInt(TopicPartition::partition))
                    .toList();
            if (partitions.isEmpty()) {
                throw new IllegalArgumentException("Topic " + topic + " does not exist");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // For read_committed consumers endOffsets() is the last stable offset, so this stops before open
            // transactions.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);

            Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition = new HashMap<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Timed out reading " + topic + " up to " + end);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    byPartition
                            .computeIfAbsent(record.partition(), p -> new ArrayList<>())
                            .add(record);
                }
            }
            List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                all.addAll(byPartition.getOrDefault(tp.partition(), List.of()));
            }
            return all;
        }
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), TIMEOUT) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void start() throws Exception {
        // Kafka's fatal-error handlers call Exit.halt/exit, which would silently kill the surefire fork.
        Exit.setExitProcedure((code, msg) -> {
            throw new IllegalStateException("Kafka broker called exit(" + code + "): " + msg);
        });
        Exit.setHaltProcedure((code, msg) -> {
            throw new IllegalStateException("Kafka broker called halt(" + code + "): " + msg);
        });
        long startNanos = System.nanoTime();
        Exception last = null;
        // The ports are probed free and then released, so another process may grab one before Kafka binds it.
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            dataDir = Files.createTempDirectory("kafka-kraft-");
            int brokerPort = FreePorts.take();
            int controllerPort = FreePorts.take();
            try {
                KafkaConfig config = new KafkaConfig(brokerConfig(brokerPort, controllerPort), false);
                format(config);
                server = new KafkaRaftServer(config, Time.SYSTEM);
                server.startup();
                bootstrapServers = HOST + ":" + brokerPort;
                awaitReady();
                LOG.info(
                        "Kafka broker started at {} in {} ms (data in {})",
                        bootstrapServers,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
                        dataDir);
                return;
            } catch (Exception e) {
                last = e;
                shutdownBroker();
                if (!(rootCause(e) instanceof BindException)) {
                    break;
                }
                LOG.warn("Kafka broker port clash on attempt {}, retrying", attempt, e);
            }
        }
        stop();
        throw new IllegalStateException("Could not start Kafka broker", last);
    }

    private Map<String, String> brokerConfig(int brokerPort, int controllerPort) {
        Map<String, String> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        // Static quorum: no voter set has to be written at format time, and the single voter elects itself at once.
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put(
                "listeners",
                "PLAINTEXT://" + HOST + ":" + brokerPort + "," + CONTROLLER_LISTENER + "://" + HOST + ":"
                        + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dataDir.resolve("log").toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        // The default 50 partitions per internal topic make the first consumer group / transaction slow on small
        // machines.
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // Topics must come from createTopic(): an auto-created 1-partition topic would hide test mistakes.
        props.put("auto.create.topics.enable", "false");
        // Flink's exactly-once sink may ask for transaction timeouts above the broker's 15 min default maximum.
        props.put(
                "transaction.max.timeout.ms", String.valueOf(Duration.ofHours(2).toMillis()));
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "2");
        props.put("num.recovery.threads.per.data.dir", "1");
        props.putAll(overrides);
        return props;
    }

    private static void format(KafkaConfig config) throws Exception {
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(config.nodeId())
                .setClusterId(Uuid.randomUuid().toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setMetadataLogDirectory(config.metadataLogDir())
                .setDirectories(config.logDirs())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setUnstableFeatureVersionsEnabled(false)
                .setHasDynamicQuorum(false);
        formatter.run();
    }

    private void awaitReady() throws Exception {
        Properties props = clientProps();
        admin = Admin.create(props);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(100);
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties props = clientProps();
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            // One request in flight: right after a topic is created its partition may answer NOT_LEADER_OR_FOLLOWER
            // to one batch while a later one goes in, and the idempotent producer then retries the first with an
            // out-of-order sequence number until its delivery timeout (seen once in CI: 120 s, then a failed test).
            props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
            producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private Properties clientProps() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    private void stop() {
        shutdownBroker();
        Exit.resetExitProcedure();
        Exit.resetHaltProcedure();
    }

    private void shutdownBroker() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
            producer = null;
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(10));
            admin = null;
        }
        if (server != null) {
            long t0 = System.nanoTime();
            try {
                server.shutdown();
                server.awaitShutdown();
                LOG.info("Kafka broker stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            } catch (RuntimeException e) {
                LOG.warn("Kafka broker did not shut down cleanly", e);
            }
            server = null;
        }
        bootstrapServers = null;
        if (dataDir != null) {
            deleteRecursively(dataDir);
            dataDir = null;
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Could not delete Kafka data dir {}", root, e);
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
