package dev.marketdata.bench;

import dev.marketdata.job.local.FreePorts;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * The bench's Kafka broker in a JVM of its own (so its CPU is its own, not the scenario's): one KRaft node, broker
 * and controller, on 127.0.0.1, from the {@code org.apache.kafka:kafka_2.13} jar on Maven Central, as the tests'
 * broker. Prints {@code READY host:port} once it serves, and shuts down when its standard input closes (the
 * bench exits or stops it).
 *
 * <pre>KafkaBrokerMain DATA_DIR</pre>
 */
public final class KafkaBrokerMain {

    public static final String READY = "READY ";
    private static final String HOST = "127.0.0.1";
    private static final String CONTROLLER = "CONTROLLER";

    private KafkaBrokerMain() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        Files.createDirectories(dataDir);
        int brokerPort = FreePorts.take();
        int controllerPort = FreePorts.take();
        KafkaConfig config = new KafkaConfig(config(dataDir, brokerPort, controllerPort), false);
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(config.nodeId())
                .setClusterId(Uuid.randomUuid().toString())
                .setControllerListenerName(CONTROLLER)
                .setMetadataLogDirectory(config.metadataLogDir())
                .setDirectories(config.logDirs())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setUnstableFeatureVersionsEnabled(false)
                .setHasDynamicQuorum(false)
                .run();
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        System.out.println(READY + HOST + ":" + brokerPort);
        System.out.flush();
        // Runs until the bench closes our standard input (or exits, which closes it too).
        while (System.in.read() >= 0) {
            // ignore input
        }
        server.shutdown();
        server.awaitShutdown();
        System.exit(0);
    }

    private static Map<String, String> config(Path dataDir, int brokerPort, int controllerPort) {
        Map<String, String> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        props.put("controller.listener.names", CONTROLLER);
        props.put(
                "listeners",
                "PLAINTEXT://" + HOST + ":" + brokerPort + "," + CONTROLLER + "://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dataDir.resolve("log").toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "2");
        props.put("num.recovery.threads.per.data.dir", "1");
        return props;
    }
}
