package dev.marketdata.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.testing.ExpectedSynthetic;
import dev.marketdata.job.testing.JobProcess;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.synthetic.SyntheticSpec;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shaded job jar on a real standalone Flink session cluster (a JobManager and a TaskManager JVM, started from
 * Maven Central jars with {@code flink-conf/config.yaml}), submitted through the REST API as {@code flink run}
 * would: the packaging (driver, relocated Jackson, migrations in the jar) and the cluster configuration are what
 * is under test. Runs after {@code package}, by failsafe.
 */
class SessionClusterITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final String PASSWORD = "cluster-pw-never-shown-91c2";
    private static final Path WORK = Path.of("target", "session-cluster").toAbsolutePath();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static JobProcess jobManager;
    private static JobProcess taskManager;
    private static String rest;

    @BeforeAll
    static void startCluster() throws Exception {
        Files.createDirectories(WORK);
        int restPort = JobProcess.freePort();
        int rpcPort = JobProcess.freePort();
        rest = "http://127.0.0.1:" + restPort;
        List<String> common = List.of(
                "--configDir", Path.of("..", "flink-conf").toAbsolutePath().toString(),
                "-D", "rest.port=" + restPort,
                "-D", "jobmanager.rpc.port=" + rpcPort,
                "-D", "execution.checkpointing.dir=" + WORK.resolve("checkpoints").toUri());
        jobManager = flink("jm", "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", common,
                JobProcess.freePort());
        taskManager = flink("tm", "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", common,
                JobProcess.freePort());
        awaitJson(rest + "/overview", overview -> overview.path("taskmanagers").asInt() == 1
                && overview.path("slots-total").asInt() == 2);
    }

    /** A Flink JVM on the job's runtime class path; the password is in the JobManager's environment, as in production. */
    private static JobProcess flink(String name, String mainClass, List<String> common, int metricsPort)
            throws Exception {
        List<String> args = new ArrayList<>(common);
        args.addAll(List.of("-D", "metrics.reporter.prom.port=" + metricsPort));
        return JobProcess.startWithClassPath(WORK, Map.of("MDS_JDBC_PASSWORD", PASSWORD),
                List.of("-Dlog.file=" + WORK.resolve(name + ".log"),
                        "-Dlog4j.configurationFile=" + Path.of("..", "flink-conf", "log4j-run-local.properties").toAbsolutePath()),
                Path.of("..", "flink-local", "target", "lib").toAbsolutePath() + "/*", mainClass, args.toArray(String[]::new));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (taskManager != null) {
            taskManager.close();
        }
        if (jobManager != null) {
            jobManager.close();
        }
    }

    @Test
    void theJarRunsOnASessionClusterWithExactResultsAndNoPasswordInItsConfiguration() throws Exception {
        Path dlq = WORK.resolve("dlq-" + UUID.randomUUID());
        String jarId = upload(Path.of("target", "market-data-job.jar"));
        List<String> args = List.of("--symbols", "8", "--bars-per-symbol", "50", "--invalid-every", "9",
                "--rate", "0", "--jdbc-url", DB.jdbcUrl(), "--dlq-dir", dlq.toString(),
                "--checkpoint-interval", "500ms", "--job-name", "cluster-it");
        JsonNode submitted = post(rest + "/jars/" + jarId + "/run",
                Json.MAPPER.writeValueAsString(Map.of("programArgsList", args, "parallelism", 2)));
        String jobId = submitted.path("jobid").asText();
        assertThat(jobId).as(submitted.toString()).isNotEmpty();

        JsonNode job = awaitJson(rest + "/jobs/" + jobId, j -> List.of("FINISHED", "FAILED", "CANCELED")
                .contains(j.path("state").asText()));
        assertThat(job.path("state").asText()).as(get(rest + "/jobs/" + jobId + "/exceptions").toString())
                .isEqualTo("FINISHED");

        ExpectedSynthetic expected =
                ExpectedSynthetic.of(new SyntheticSpec(8, 50, 0, 9, 42, Instant.parse("2024-01-02T14:30:00Z")));
        assertThat(Tables.bars(DB)).containsExactlyInAnyOrderElementsOf(expected.validBars());
        assertThat(Tables.deadLetters(dlq)).hasSize(expected.rejected().size());
        assertThat(DB.preparedTransactions()).isEmpty();

        JsonNode config = get(rest + "/jobs/" + jobId + "/config");
        assertThat(config.path("execution-config").path("user-config").path("delivery").asText())
                .isEqualTo("exactly-once");
        assertThat(config.toString()).doesNotContain(PASSWORD);
        assertThat(get(rest + "/jobmanager/config").toString()).doesNotContain(PASSWORD);
    }

    private static String upload(Path jar) throws Exception {
        String boundary = "----mds" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                        + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(rest + "/jars/upload"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String file = Json.MAPPER.readTree(response.body()).path("filename").asText();
        return Path.of(file).getFileName().toString();
    }

    private static JsonNode post(String url, String json) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(120))
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(response.body());
    }

    private static JsonNode awaitJson(String url, java.util.function.Predicate<JsonNode> ready) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            assertThat(jobManager.isAlive()).as("JobManager exited:\n" + jobManager.output()).isTrue();
            try {
                last = get(url);
                if (ready.test(last)) {
                    return last;
                }
            } catch (java.io.IOException notUpYet) {
                // REST endpoint not listening yet.
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no ready answer from " + url + "; last: " + last + "\nJobManager:\n"
                + jobManager.output() + "\nTaskManager:\n" + taskManager.output());
    }
}
