package dev.marketdata.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.marketdata.job.json.BarJson;
import dev.marketdata.job.json.Json;
import dev.marketdata.sources.model.Bar;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka side of the {@code kafka} and {@code connect} scenarios: a broker in its own JVM
 * ({@link KafkaBrokerMain}), and the bench's bars on it before any clock starts, partitioned by symbol (as a
 * gateway partitions by the data set's routing key), as
 * <ul>
 *   <li>{@link #TOPIC}: the job's wire format ({@link BarJson}), what {@code --source kafka} reads;
 *   <li>{@link #CONNECT_TOPIC}: the same bars, same keys, same partitions, as Kafka Connect's {@code JsonConverter}
 *       with {@code schemas.enable=true} wants them: each value an envelope with the schema and the payload
 *       ({@link ConnectJson}), which the Debezium JDBC sink needs to know the columns' types;
 *   <li>{@link #WARMUP_TOPIC}: the first warm-up rows in the job's format, for the job's warm-up run.
 * </ul>
 */
final class BenchKafka implements AutoCloseable {

    static final String TOPIC = "bench.bars";
    static final String CONNECT_TOPIC = "bench.bars.connect";
    static final String WARMUP_TOPIC = "bench.bars.warmup";
    static final int PARTITIONS = 2;

    private final Process broker;
    private final String bootstrap;

    private BenchKafka(Process broker, String bootstrap) {
        this.broker = broker;
        this.bootstrap = bootstrap;
    }

    /** Starts the broker JVM (logs to {@code logDir/kafka.log}) and waits until it serves (at most 2 minutes). */
    static BenchKafka start(Path dataDir, Path logDir) throws Exception {
        BenchMain.deleteRecursively(dataDir);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dlog4j.configurationFile=" + System.getProperty("log4j.configurationFile", ""),
                "-Dlog.file=" + logDir.resolve("kafka.log"),
                "-cp",
                System.getProperty("java.class.path"),
                KafkaBrokerMain.class.getName(),
                dataDir.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        AtomicReference<String> ready = new AtomicReference<>();
        StringBuilder console = new StringBuilder();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in =
                            new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
                        for (String line; (line = in.readLine()) != null; ) {
                            if (line.startsWith(KafkaBrokerMain.READY) && ready.get() == null) {
                                ready.set(line.substring(KafkaBrokerMain.READY.length())
                                        .strip());
                            } else if (console.length() < 20_000) {
                                console.append(line).append('\n');
                            }
                        }
                    } catch (IOException e) {
                        // the broker is gone; start() reports it
                    }
                },
                "bench-kafka-console");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (ready.get() == null) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("the Kafka broker did not start: " + console);
            }
            Thread.sleep(50);
        }
        return new BenchKafka(process, ready.get());
    }

    String bootstrap() {
        return bootstrap;
    }

    long pid() {
        return broker.pid();
    }

    /** Creates the topics and fills them with {@code input} (and the first {@code warmupRows} bars). */
    void fill(BenchInput input, long warmupRows) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(
                            new NewTopic(TOPIC, PARTITIONS, (short) 1),
                            new NewTopic(CONNECT_TOPIC, PARTITIONS, (short) 1),
                            new NewTopic(WARMUP_TOPIC, PARTITIONS, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
        BarJson json = new BarJson();
        ConnectJson connect = new ConnectJson();
        produce(input, Long.MAX_VALUE, TOPIC, bar -> Json.toJson(json, bar).getBytes(UTF_8));
        produce(input, Long.MAX_VALUE, CONNECT_TOPIC, connect::envelope);
        if (warmupRows > 0) {
            produce(input, warmupRows, WARMUP_TOPIC, bar -> Json.toJson(json, bar)
                    .getBytes(UTF_8));
        }
    }

    private void produce(BenchInput input, long limit, String topic, Function<Bar, byte[]> value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        AtomicReference<Exception> failure = new AtomicReference<>();
        long[] sent = {0};
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            input.forEach(bar -> {
                if (sent[0]++ >= limit || failure.get() != null) {
                    return;
                }
                byte[] key = bar.symbol().getBytes(UTF_8);
                producer.send(
                        new ProducerRecord<>(topic, partition(bar.symbol()), key, value.apply(bar)), (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
            });
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("could not fill " + topic, failure.get());
        }
    }

    /** The partition of a symbol: by the routing key's hash, as the tests' and a gateway's producers do. */
    static int partition(String symbol) {
        return Math.floorMod(symbol.hashCode(), PARTITIONS);
    }

    /** CPU seconds the broker has used so far. */
    double cpuSeconds() {
        return ServerCpu.processSeconds(broker.pid());
    }

    @Override
    public void close() throws Exception {
        broker.getOutputStream().close();
        if (!broker.waitFor(30, TimeUnit.SECONDS)) {
            broker.destroyForcibly();
            broker.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
