package dev.marketdata.job.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.local.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A real standalone Flink session cluster for tests: a JobManager JVM and TaskManager JVMs started from Maven
 * Central jars ({@code flink-local/target/lib}) with {@code flink-conf/config.yaml} as their {@code --configDir},
 * driven through the REST API as {@code flink run}, {@code flink stop} and the web UI drive it. Only ports,
 * directories and heartbeat timing are overridden ({@code -D}); everything else is the shipped file.
 */
public final class FlinkSessionCluster implements AutoCloseable {

    /** The shipped configuration directory every JVM of the cluster reads. */
    public static final Path CONFIG_DIR =
            Path.of("..", "flink-conf").toAbsolutePath().normalize();

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path work;
    private final Map<String, String> environment;
    private final List<String> common;
    private final JobProcess jobManager;
    private final Map<String, JobProcess> taskManagers = new LinkedHashMap<>();
    private final String rest;
    private final int restPort;

    private FlinkSessionCluster(Path work, Map<String, String> environment, List<String> common, int restPort)
            throws IOException {
        this.work = work;
        this.environment = environment;
        this.common = common;
        this.restPort = restPort;
        this.rest = "http://127.0.0.1:" + restPort;
        this.jobManager =
                flink("jm", "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", List.of());
    }

    /**
     * Starts a JobManager and {@code taskManagers} TaskManagers ({@code tm-1}, {@code tm-2}, ...) and waits until
     * all have registered.
     *
     * @param metricsPorts the Prometheus reporter's port range for every JVM of the cluster, e.g. {@code 9249-9259}
     * @param extra more {@code key=value} overrides, e.g. {@code taskmanager.numberOfTaskSlots=3}
     */
    public static FlinkSessionCluster start(
            Path work, Map<String, String> environment, int taskManagers, String metricsPorts, String... extra)
            throws Exception {
        Files.createDirectories(work);
        int restPort = FreePorts.take();
        List<String> common = new ArrayList<>(List.of(
                "--configDir", CONFIG_DIR.toString(),
                "-D", "rest.port=" + restPort,
                "-D", "jobmanager.rpc.port=" + FreePorts.take(),
                "-D", "metrics.reporter.prom.port=" + metricsPorts,
                "-D",
                        "execution.checkpointing.dir="
                                + work.resolve("checkpoints").toUri(),
                "-D",
                        "execution.checkpointing.savepoint-dir="
                                + work.resolve("savepoints").toUri(),
                "-D", "web.upload.dir=" + work.resolve("uploads"),
                // A lost TaskManager is noticed within seconds instead of the default 50 s; the web UI and the
                // back-pressure endpoint read metrics fetched every second instead of every 10 s.
                "-D", "heartbeat.interval=1000",
                "-D", "heartbeat.timeout=6000",
                "-D", "metrics.fetcher.update-interval=1000"));
        for (String setting : extra) {
            common.addAll(List.of("-D", setting));
        }
        FlinkSessionCluster cluster = new FlinkSessionCluster(work, environment, common, restPort);
        try {
            for (int i = 1; i <= taskManagers; i++) {
                cluster.startTaskManager("tm-" + i);
            }
            cluster.awaitTaskManagers(taskManagers);
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    private JobProcess flink(String name, String mainClass, List<String> more) throws IOException {
        List<String> args = new ArrayList<>(common);
        args.addAll(more);
        return JobProcess.startWithClassPath(
                work,
                environment,
                List.of(
                        "-Dlog.file=" + work.resolve(name + ".log"),
                        "-Dlog4j.configurationFile=" + CONFIG_DIR.resolve("log4j-run-local.properties")),
                Path.of("..", "flink-local", "target", "lib").toAbsolutePath() + "/*",
                mainClass,
                args.toArray(String[]::new));
    }

    /** Starts a TaskManager whose resource id (as the REST API shows it) is {@code id}. */
    public void startTaskManager(String id) throws IOException {
        taskManagers.put(
                id,
                flink(
                        id,
                        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                        List.of("-D", "taskmanager.resource-id=" + id)));
    }

    /** {@code kill -9} of a TaskManager JVM. */
    public void killTaskManager(String id) throws InterruptedException {
        taskManagers.remove(id).killHard();
    }

    public void awaitTaskManagers(int count) throws Exception {
        awaitJson("/taskmanagers", t -> t.path("taskmanagers").size() == count, Duration.ofSeconds(120));
    }

    public String rest() {
        return rest;
    }

    public int restPort() {
        return restPort;
    }

    public Path work() {
        return work;
    }

    /** Uploads a jar as {@code POST /jars/upload} does; returns its jar id. */
    public String upload(Path jar) throws Exception {
        String boundary = "----mds" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                        + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(rest + "/jars/upload"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Path.of(Json.MAPPER.readTree(response.body()).path("filename").asText())
                .getFileName()
                .toString();
    }

    /**
     * {@code POST /jars/:jarid/run}, as {@code flink run [-s savepoint] [-n] [-p parallelism]}.
     *
     * @param savepoint null for a fresh start
     * @return the HTTP status and body: 200 with {@code jobid}, or an error naming why the job was refused
     */
    public HttpResponse<String> run(
            String jarId, List<String> programArgs, int parallelism, String savepoint, boolean allowNonRestoredState)
            throws Exception {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("programArgsList", programArgs);
        request.put("parallelism", parallelism);
        if (savepoint != null) {
            request.put("savepointPath", savepoint);
            request.put("allowNonRestoredState", allowNonRestoredState);
        }
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(rest + "/jars/" + jarId + "/run"))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(120))
                        .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(request)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** As {@link #run}, for a submission that must be accepted; returns the job id. */
    public String submit(
            String jarId, List<String> programArgs, int parallelism, String savepoint, boolean allowNonRestoredState)
            throws Exception {
        HttpResponse<String> response = run(jarId, programArgs, parallelism, savepoint, allowNonRestoredState);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String jobId = Json.MAPPER.readTree(response.body()).path("jobid").asText();
        assertThat(jobId).as(response.body()).isNotEmpty();
        return jobId;
    }

    /**
     * {@code POST /jobs/:jobid/stop} without draining, as {@code flink stop --savepointPath DIR}: waits for the
     * savepoint and for the job to finish; returns the savepoint's location.
     */
    public String stopWithSavepoint(String jobId) throws Exception {
        for (int attempt = 1; ; attempt++) {
            JsonNode trigger = post(
                    "/jobs/" + jobId + "/stop",
                    Json.MAPPER.writeValueAsString(Map.of(
                            "drain",
                            false,
                            "targetDirectory",
                            work.resolve("savepoints").toUri().toString())));
            String requestId = trigger.path("request-id").asText();
            assertThat(requestId).as(trigger.toString()).isNotEmpty();
            JsonNode done = awaitJson(
                    "/jobs/" + jobId + "/savepoints/" + requestId,
                    s -> s.path("status").path("id").asText().equals("COMPLETED"),
                    Duration.ofSeconds(180));
            if (!done.path("operation").has("failure-cause")) {
                awaitState(jobId, "FINISHED");
                return done.path("operation").path("location").asText();
            }
            // A savepoint cannot start while a task is still being deployed (a loaded machine): the job runs on,
            // and the stop is tried again.
            boolean running = get("/jobs/" + jobId).path("state").asText().equals("RUNNING");
            assertThat(running && attempt < 5).as(done.toString()).isTrue();
            Thread.sleep(1000);
        }
    }

    /** Cancels every job that has not ended, and waits until all have; a failed test leaves none behind. */
    public void cancelAll() throws Exception {
        for (JsonNode job : get("/jobs").path("jobs")) {
            if (!List.of("FINISHED", "FAILED", "CANCELED")
                    .contains(job.path("status").asText())) {
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(
                                        rest + "/jobs/" + job.path("id").asText() + "?mode=cancel"))
                                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
            }
        }
        awaitJson(
                "/jobs",
                j -> {
                    for (JsonNode job : j.path("jobs")) {
                        if (!List.of("FINISHED", "FAILED", "CANCELED")
                                .contains(job.path("status").asText())) {
                            return false;
                        }
                    }
                    return true;
                },
                Duration.ofSeconds(120));
    }

    /** Waits until the job reaches {@code state}; fails early, with the job's exceptions, if it fails. */
    public JsonNode awaitState(String jobId, String state) throws Exception {
        JsonNode job = awaitJson(
                "/jobs/" + jobId,
                j -> j.path("state").asText().equals(state)
                        || List.of("FAILED", "CANCELED", "FINISHED")
                                .contains(j.path("state").asText()),
                Duration.ofSeconds(180));
        assertThat(job.path("state").asText())
                .as(get("/jobs/" + jobId + "/exceptions").toString())
                .isEqualTo(state);
        return job;
    }

    /** The id of the job vertex whose name starts with {@code prefix}. */
    public String vertex(String jobId, String prefix) throws Exception {
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            if (vertex.path("name").asText().startsWith(prefix)) {
                return vertex.path("id").asText();
            }
        }
        throw new AssertionError("no vertex named " + prefix + "... in " + get("/jobs/" + jobId));
    }

    public JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(rest + path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(response.body());
    }

    public JsonNode post(String path, String json) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(rest + path))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(120))
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return Json.MAPPER.readTree(response.body());
    }

    /** Polls {@code GET path} every 200 ms until {@code ready} holds; fails with the cluster's output after the timeout. */
    public JsonNode awaitJson(String path, Predicate<JsonNode> ready, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            assertThat(jobManager.isAlive())
                    .as("JobManager exited:\n" + jobManager.output())
                    .isTrue();
            try {
                last = get(path);
                if (ready.test(last)) {
                    return last;
                }
            } catch (IOException notUpYet) {
                // REST endpoint not listening yet.
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no ready answer from " + path + " in " + timeout + "; last: " + last
                + "\nJobManager log tail:\n" + tail(work.resolve("jm.log")));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (JobProcess taskManager : taskManagers.values()) {
            taskManager.close();
        }
        taskManagers.clear();
        jobManager.close();
    }
}
