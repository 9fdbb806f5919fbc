package dev.marketdata.bench;

import dev.marketdata.job.local.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The {@code connect} scenario: what a user would run instead of this job for Kafka to PostgreSQL. A Kafka Connect
 * standalone worker ({@code org.apache.kafka:connect-runtime}) with the Debezium JDBC sink connector
 * ({@code io.debezium:debezium-connector-jdbc}) and pgjdbc, all from Maven Central (class path:
 * {@code bench/connect/pom.xml}, resolved on first use), reading {@link BenchKafka#CONNECT_TOPIC} (JSON with
 * schemas) with 2 tasks and upserting on {@code (symbol, timeframe, ts)} into {@link #TABLE}, a table made
 * {@code LIKE bars INCLUDING ALL} (same columns, types and primary key). The worker JVM runs in UTC: the connector
 * writes Connect {@code Timestamp}s as zone-less values in the JVM's zone. Timed from the worker's start to the
 * moment the table holds every row (polled every 200 ms), as a user sees it; the start-up part (to the first row
 * visible) is reported too.
 */
final class ConnectWorker {

    static final String TABLE = "bars_connect";
    static final int TASKS = 2;
    static final int BATCH = 5000;

    private ConnectWorker() {}

    /** The worker's class path, resolved with Maven into {@code bench/target/connect-classpath.txt} on first use. */
    static String classPath(Path root, Path logDir) throws Exception {
        Path file = root.resolve("bench/target/connect-classpath.txt");
        Path pom = root.resolve("bench/connect/pom.xml");
        if (!Files.exists(file) || Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(pom)) < 0) {
            Path log = logDir.resolve("connect-resolve.log");
            Process mvn = new ProcessBuilder(
                            "mvn",
                            "-B",
                            "-q",
                            "-f",
                            pom.toString(),
                            "dependency:build-classpath",
                            "-Dmdep.outputFile=" + file)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (mvn.waitFor() != 0) {
                throw new IllegalStateException("could not resolve Kafka Connect and the Debezium JDBC sink from " + pom
                        + " (see " + log + "): " + tail(log));
            }
        }
        return Files.readString(file).strip();
    }

    /**
     * Runs the worker until {@code TABLE} holds {@code rows} rows (or {@code timeoutSeconds} pass), then stops it.
     * Returns the scenario's result: seconds, startupSeconds, clientCpuSeconds (the worker JVM), or error.
     */
    static Map<String, String> run(
            BenchDatabase db,
            BenchKafka kafka,
            String classPath,
            Path work,
            String tag,
            String heap,
            long rows,
            long timeoutSeconds,
            ServerCpu serverCpu)
            throws Exception {
        Path dir = work.resolve("connect").resolve(tag);
        BenchMain.deleteRecursively(dir);
        Files.createDirectories(dir);
        Path worker = dir.resolve("worker.properties");
        Path connector = dir.resolve("bars-sink.properties");
        Files.writeString(worker, properties(workerConfig(kafka.bootstrap(), dir, db.password() != null)));
        Files.writeString(connector, properties(connectorConfig(db.url(), db.password() != null, "bench-bars-" + tag)));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-Duser.timezone=UTC",
                "-Dlog4j.configurationFile=" + System.getProperty("log4j.configurationFile", ""),
                "-Dlog.file=" + work.resolve("logs").resolve(tag + ".log"),
                "-cp",
                classPath,
                "org.apache.kafka.connect.cli.ConnectStandalone",
                worker.toString(),
                connector.toString()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("logs").resolve(tag + ".out").toFile());
        if (db.password() != null) {
            // Through Kafka's EnvVarConfigProvider: the password is in no file and on no command line.
            pb.environment().put("MDS_JDBC_PASSWORD", db.password().reveal());
        }
        Map<String, String> result = new LinkedHashMap<>();
        double serverBefore = serverCpu.seconds();
        double machineBefore = MachineCpu.busySeconds();
        double brokerBefore = kafka.cpuSeconds();
        long start = System.nanoTime();
        Process process = pb.start();
        long firstRow = -1;
        long done = -1;
        double clientCpu = Double.NaN;
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (System.nanoTime() < deadline && process.isAlive()) {
                long count;
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + TABLE)) {
                    rs.next();
                    count = rs.getLong(1);
                }
                long now = System.nanoTime();
                if (count > 0 && firstRow < 0) {
                    firstRow = now;
                }
                if (count >= rows) {
                    done = now;
                    break;
                }
                Thread.sleep(200);
            }
            clientCpu = ServerCpu.processSeconds(process.pid());
        } finally {
            process.destroy(); // SIGTERM: the worker stops its tasks and exits
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (done < 0) {
            result.put(
                    "error",
                    (process.exitValue() == 0 ? "timed out" : "worker exited " + process.exitValue()) + " before "
                            + TABLE + " held " + rows + " rows; see "
                            + work.resolve("logs").resolve(tag + ".out"));
            return result;
        }
        Thread.sleep(300);
        result.put("seconds", fmt((done - start) / 1e9));
        result.put("startupSeconds", fmt((firstRow - start) / 1e9));
        result.put("clientCpuSeconds", fmt(clientCpu));
        result.put("serverCpuSeconds", fmt(serverCpu.seconds() - serverBefore));
        result.put("brokerCpuSeconds", fmt(kafka.cpuSeconds() - brokerBefore));
        result.put("machineBusySeconds", fmt(MachineCpu.busySeconds() - machineBefore));
        return result;
    }

    static Map<String, String> workerConfig(String bootstrap, Path dir, boolean password) throws IOException {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("bootstrap.servers", bootstrap);
        c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter.schemas.enable", "true");
        c.put("offset.storage.file.filename", dir.resolve("offsets").toString());
        c.put("listeners", "http://127.0.0.1:" + FreePorts.take());
        // Each poll hands the connector up to one batch, so its batches can fill.
        c.put("consumer.max.poll.records", Integer.toString(BATCH));
        if (password) {
            c.put("config.providers", "env");
            c.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        }
        return c;
    }

    static Map<String, String> connectorConfig(PgUrl url, boolean password, String name) {
        Map<String, String> params = new LinkedHashMap<>(url.params());
        params.remove("user");
        params.remove("password");
        params.put("reWriteBatchedInserts", "true");
        PgUrl plain = new PgUrl(url.host(), url.port(), url.database(), params);
        Map<String, String> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
        c.put("tasks.max", Integer.toString(TASKS));
        c.put("topics", BenchKafka.CONNECT_TOPIC);
        c.put("connection.url", plain.jdbc());
        c.put("connection.username", url.user());
        if (password) {
            c.put("connection.password", "${env:MDS_JDBC_PASSWORD}");
        }
        c.put("insert.mode", "upsert");
        c.put("primary.key.mode", "record_value");
        c.put("primary.key.fields", "symbol,timeframe,ts");
        c.put("collection.name.format", TABLE);
        c.put("schema.evolution", "none");
        c.put("batch.size", Integer.toString(BATCH));
        c.put("use.time.zone", "UTC");
        return c;
    }

    private static String properties(Map<String, String> config) {
        return config.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\"))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
