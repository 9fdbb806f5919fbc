package dev.marketdata.job.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.testing.JobProcess;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/run-local}'s runner in a JVM of its own, as a user runs it. */
class LocalRunnerITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final String RUNNER = LocalRunner.class.getName();
    private static final String PASSWORD = "pw-that-must-never-show-7f3a";

    @Test
    void aBoundedRunExitsZeroWithExactlyTheValidRowsAndTheInvalidOnesDeadLettered(
            @TempDir Path dlq, @TempDir Path checkpoints) throws Exception {
        try (JobProcess run = JobProcess.start(
                Path.of("target", "run-local-it"),
                Map.of(),
                RUNNER,
                "--source",
                "synthetic",
                "--symbols",
                "10",
                "--bars-per-symbol",
                "30",
                "--invalid-every",
                "25",
                "--rate",
                "0",
                "--jdbc-url",
                DB.jdbcUrl(),
                "--dlq-dir",
                dlq.toString(),
                "--checkpoint-interval",
                "500ms",
                "--checkpoint-dir",
                checkpoints.toString(),
                "--web-port",
                String.valueOf(FreePorts.take()),
                "--metrics-port",
                String.valueOf(FreePorts.take()))) {
            assertThat(run.waitFor(180)).as(run.output()).isZero();
            assertThat(run.output()).contains("[run-local] Job finished in");
        }
        assertThat(DB.count("bars")).isEqualTo(300 - 12);
        assertThat(Tables.deadLetters(dlq)).hasSize(12);
        // Finished: nothing to resume, so nothing for a later --restore latest to pick instead of a savepoint.
        assertThat(RetainedCheckpoints.latest(checkpoints)).isEmpty();
    }

    @Test
    void servesTheWebUiAndPrometheusWithoutEverShowingThePassword(@TempDir Path dlq) throws Exception {
        int webPort = FreePorts.take();
        int metricsPort = FreePorts.take();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (JobProcess run = JobProcess.start(
                Path.of("target", "run-local-it"),
                Map.of("MDS_JDBC_PASSWORD", PASSWORD),
                RUNNER,
                "--symbols",
                "4",
                "--rate",
                "200",
                "--jdbc-url",
                DB.jdbcUrl(),
                "--dlq-dir",
                dlq.toString(),
                "--web-port",
                String.valueOf(webPort),
                "--metrics-port",
                String.valueOf(metricsPort))) {
            String web = "http://127.0.0.1:" + webPort;
            JsonNode job = awaitJson(
                            http,
                            web + "/jobs/overview",
                            run,
                            n -> n.path("jobs").size() == 1
                                    && "RUNNING"
                                            .equals(n.path("jobs")
                                                    .get(0)
                                                    .path("state")
                                                    .asText()))
                    .path("jobs")
                    .get(0);
            String jobId = job.path("jid").asText();

            JsonNode plan = getJson(http, web + "/jobs/" + jobId);
            assertThat(plan.path("vertices").findValuesAsText("name"))
                    .anySatisfy(name -> assertThat(name).contains("Validate bars"));

            JsonNode config = getJson(http, web + "/jobs/" + jobId + "/config");
            JsonNode userConfig = config.path("execution-config").path("user-config");
            assertThat(userConfig.path("symbols").asText()).isEqualTo("4");
            assertThat(userConfig.path("jdbc-url").asText()).isEqualTo(DB.jdbcUrl());
            assertThat(config.toString()).doesNotContain(PASSWORD);

            String metrics = awaitText(
                    http,
                    "http://127.0.0.1:" + metricsPort + "/metrics",
                    run,
                    // All of them: a scrape can come while a writer is still registering its metrics.
                    text -> text.contains("flink_taskmanager_job_task_operator_table_rowsWritten{")
                            && text.contains("flink_taskmanager_job_task_operator_table_writeLatencyMs{")
                            && text.contains("flink_taskmanager_job_task_operator_table_circuitState{")
                            && text.contains("flink_taskmanager_job_task_operator_dataset_recordsValidated{"));
            assertThat(metrics.lines()
                            .filter(l -> l.startsWith("flink_taskmanager_job_task_operator_dataset_recordsValidated{")))
                    .hasSize(2) // one per subtask
                    .allSatisfy(line ->
                            assertThat(line).contains("dataset=\"bars\"").contains("job_name=\"market_data_store\""));
            assertThat(metrics)
                    .contains("flink_taskmanager_job_task_operator_table_writeLatencyMs{")
                    .contains("flink_taskmanager_job_task_operator_table_circuitState{")
                    .contains("flink_taskmanager_job_task_operator_table_retries{")
                    .contains("table=\"bars\"")
                    .contains("flink_taskmanager_job_task_operator_dataset_reason_recordsRejected{")
                    .contains("reason=\"HIGH_BELOW_LOW\"")
                    .doesNotContain(PASSWORD);
            assertThat(run.output()).doesNotContain(PASSWORD);
        }
    }

    @Test
    void anUnreachableDatabaseIsOneClearLineAndANonZeroExit() throws Exception {
        try (JobProcess run = JobProcess.start(
                Path.of("target", "run-local-it"),
                Map.of(),
                RUNNER,
                "--bars-per-symbol",
                "1",
                "--jdbc-url",
                "jdbc:postgresql://127.0.0.1:1/nowhere?password=" + PASSWORD,
                "--web-port",
                String.valueOf(FreePorts.take()),
                "--metrics-port",
                String.valueOf(FreePorts.take()))) {
            assertThat(run.waitFor(60)).isEqualTo(2);
            assertThat(run.output().strip())
                    .startsWith(
                            "error: cannot prepare the database at jdbc:postgresql://127.0.0.1:1/nowhere?password=***: ")
                    .doesNotContain(PASSWORD)
                    .doesNotContain("\n");
        }
    }

    @Test
    void helpListsTheOptionsAndBadOptionsExitTwo() throws Exception {
        try (JobProcess help = JobProcess.start(Path.of("target", "run-local-it"), Map.of(), RUNNER, "--help")) {
            assertThat(help.waitFor(30)).isZero();
            assertThat(help.output())
                    .startsWith("Usage: bin/run-local [options]")
                    .contains("--bars-per-symbol M")
                    .contains("--dlq-dir DIR");
        }
        try (JobProcess bad = JobProcess.start(Path.of("target", "run-local-it"), Map.of(), RUNNER, "--symbols", "x")) {
            assertThat(bad.waitFor(30)).isEqualTo(2);
            assertThat(bad.output()).startsWith("error: --symbols: cannot use 'x'");
        }
    }

    @Test
    void aBadOptionIsRefusedBeforeAnyDatabaseIsChosen() throws Exception {
        try (JobProcess bad = JobProcess.start(
                Path.of("target", "run-local-it"),
                Map.of(),
                RUNNER,
                "--datasets",
                "bogus",
                "--web-port",
                String.valueOf(FreePorts.take()),
                "--metrics-port",
                String.valueOf(FreePorts.take()))) {
            assertThat(bad.waitFor(30)).isEqualTo(2);
            // Exactly the one line: no "Using the PostgreSQL server" nor "Started a private PostgreSQL" before it.
            assertThat(bad.output().strip())
                    .isEqualTo(
                            "error: --datasets: unknown data set 'bogus'; choose from bars, options, fundamentals, news");
        }
    }

    private static JsonNode getJson(HttpClient http, String url) throws Exception {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    private static JsonNode awaitJson(
            HttpClient http, String url, JobProcess run, java.util.function.Predicate<JsonNode> ready)
            throws Exception {
        return Json.MAPPER.readTree(awaitText(http, url, run, text -> {
            try {
                return ready.test(Json.MAPPER.readTree(text));
            } catch (Exception e) {
                return false;
            }
        }));
    }

    private static String awaitText(
            HttpClient http, String url, JobProcess run, java.util.function.Predicate<String> ready) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            assertThat(run.isAlive())
                    .as("job process exited early:\n" + run.output())
                    .isTrue();
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                last = response.body();
                if (response.statusCode() == 200 && ready.test(last)) {
                    return last;
                }
            } catch (java.io.IOException notUpYet) {
                // The endpoint is not listening yet.
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no ready answer from " + url + "; last: " + last + "\noutput:\n" + run.output());
    }
}
