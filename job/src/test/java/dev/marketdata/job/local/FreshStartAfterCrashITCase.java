package dev.marketdata.job.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.MarketDataJob;
import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.sink.twophase.PreparedTransactions;
import dev.marketdata.job.testing.JobProcess;
import dev.marketdata.job.testing.KafkaBrokerExtension;
import dev.marketdata.job.testing.KafkaTopics;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.model.Bar;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Case 14 of the input-integrity issue: {@code bin/run-local} reading three bars from Kafka is killed with
 * {@code kill -9} after a checkpoint completed (Kafka offsets committed to the group, the bars' transaction
 * prepared) but before its {@code COMMIT PREPARED}, which the database refused: the job's role may no longer log
 * in (its open connection stays), so the committer could not connect. A start without {@code --restore} must
 * then refuse instead of rolling the bars back; {@code --restore latest} stores them once; and
 * {@code --discard-prepared-transactions} does what it says. A private server: the test changes a role.
 */
class FreshStartAfterCrashITCase {

    @RegisterExtension
    @Order(1)
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    @Order(2)
    static final PostgresTestDatabase DB =
            PostgresTestDatabase.onPrivateServer(Path.of("target", "fresh-start-postgres"));

    private static final String CASE = "/cases/14-fresh-start-after-crash.ndjson";
    /** The job's role: not a superuser, so that it can be kept from logging in. */
    private static final String ROLE = "mds_job";

    private static final Path WORK = Path.of("target", "fresh-start-it");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void jobRole() throws Exception {
        if (DB.rows("SELECT 1 FROM pg_roles WHERE rolname = '" + ROLE + "'").isEmpty()) {
            DB.execute("CREATE ROLE " + ROLE + " LOGIN");
            DB.execute("ALTER DATABASE " + DB.name() + " OWNER TO " + ROLE);
            SchemaMigrator.migrate(jdbcSettings());
        }
        DB.execute("TRUNCATE bars");
    }

    @AfterEach
    void letTheRoleInAndDropLeftovers() throws Exception {
        DB.execute("ALTER ROLE " + ROLE + " LOGIN");
        // A failed test may leave its prepared transaction, whose lock on bars the next test's TRUNCATE would wait on.
        try (Connection c = DB.connect()) {
            for (String gid : DB.preparedTransactions()) {
                PreparedTransactions.rollback(c, gid);
            }
        }
    }

    @Test
    void aFreshStartIsRefusedAndARestoreStoresTheBarsOnce(@TempDir Path dir) throws Exception {
        KafkaTopics topics = new KafkaTopics(KAFKA, "restore");
        String gid = crashBetweenCheckpointAndCommit(dir, topics, "fresh-start-test");

        String refusal = "1 prepared transaction of job 'fresh-start-test' in database " + DB.name() + " (" + gid
                + ") was never committed: the run that prepared it stopped before its commit, after a checkpoint "
                + "that may cover it (its source positions already past those rows), so a fresh start would lose its "
                + "rows. Resume with --restore latest (flink run: -s <its last checkpoint>), which commits what that "
                + "checkpoint covers, or discard it with --discard-prepared-transactions.";
        try (JobProcess fresh = JobProcess.start(
                WORK,
                Map.of(),
                LocalRunner.class.getName(),
                args(dir, topics, "fresh-start-test", "--kafka-bounded"))) {
            assertThat(fresh.waitFor(120)).as(fresh.output()).isEqualTo(2);
            assertThat(fresh.output().strip().lines().filter(line -> !line.startsWith("[run-local] ")))
                    .containsExactly("error: " + refusal);
        }
        // flink run runs the same check in the job's main, before it submits anything.
        assertThatThrownBy(() -> MarketDataJob.main(args(dir, topics, "fresh-start-test", "--kafka-bounded")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(refusal);
        assertThat(DB.preparedTransactions()).containsExactly(gid);
        assertThat(DB.count("bars")).isZero();

        // Unbounded like the run it resumes (a restored Kafka split keeps the stopping offset it had); the
        // committer commits the restored transaction as the job starts. Then Ctrl-C.
        int webPort = FreePorts.take();
        try (JobProcess restored = JobProcess.start(
                WORK,
                Map.of(),
                LocalRunner.class.getName(),
                args(
                        dir,
                        topics,
                        "fresh-start-test",
                        "--restore",
                        "latest",
                        "--web-port",
                        String.valueOf(webPort),
                        "--metrics-port",
                        String.valueOf(FreePorts.take())))) {
            String web = "http://127.0.0.1:" + webPort;
            String jobId = Json.MAPPER
                    .readTree(await(restored, web + "/jobs/overview", text -> text.contains("\"state\":\"RUNNING\"")))
                    .path("jobs")
                    .get(0)
                    .path("jid")
                    .asText();
            // Every task runs, and a checkpoint of the resumed job completed (adding nothing).
            await(
                    restored,
                    web + "/jobs/" + jobId + "/checkpoints",
                    text -> Json.MAPPER
                                    .readTree(text)
                                    .path("counts")
                                    .path("completed")
                                    .asInt()
                            >= 1);
            restored.close(); // SIGTERM
            assertThat(restored.waitFor(1)).as(restored.output()).isEqualTo(143);
            assertThat(restored.output())
                    .contains("[run-local] Resuming from ", "[run-local] Stopped with a savepoint");
        }
        assertThat(Tables.bars(DB)).containsExactlyElementsOf(caseBars());
        assertThat(DB.preparedTransactions()).isEmpty();
    }

    @Test
    void theDiscardFlagRollsTheLeftoversBackAndStartsAfresh(@TempDir Path dir) throws Exception {
        KafkaTopics topics = new KafkaTopics(KAFKA, "discard");
        String gid = crashBetweenCheckpointAndCommit(dir, topics, "discard-test");

        try (JobProcess fresh = JobProcess.start(
                WORK,
                Map.of(),
                LocalRunner.class.getName(),
                args(dir, topics, "discard-test", "--kafka-bounded", "--discard-prepared-transactions"))) {
            assertThat(fresh.waitFor(180)).as(fresh.output()).isZero();
            assertThat(fresh.output())
                    .contains("[run-local] Rolled back " + gid + ", prepared by an earlier run and "
                            + "never committed (--discard-prepared-transactions): its rows are discarded");
        }
        // Gone, as the flag says: the group's offsets were past the bars, so the fresh start read nothing.
        assertThat(DB.count("bars")).isZero();
        assertThat(DB.preparedTransactions()).isEmpty();
    }

    /**
     * Runs the job until the three bars are prepared under a completed checkpoint whose commit the database
     * refused, then kills it; returns the gid of the bars' transaction.
     */
    private String crashBetweenCheckpointAndCommit(Path dir, KafkaTopics topics, String jobName) throws Exception {
        for (String line : caseLines()) {
            KAFKA.produce(topics.topic(Dataset.BARS), 0, null, line.getBytes(UTF_8));
        }
        int webPort = FreePorts.take();
        int metricsPort = FreePorts.take();
        // Unbounded: a finished Kafka source takes no part in later checkpoints, so a bounded run that has read
        // everything never commits the group's offsets. Checkpoints only when the test asks for one.
        try (JobProcess run = JobProcess.start(
                WORK,
                Map.of(),
                LocalRunner.class.getName(),
                args(
                        dir,
                        topics,
                        jobName,
                        "--checkpoint-interval",
                        "1h",
                        "--web-port",
                        String.valueOf(webPort),
                        "--metrics-port",
                        String.valueOf(metricsPort)))) {
            String web = "http://127.0.0.1:" + webPort;
            String jobId = Json.MAPPER
                    .readTree(await(run, web + "/jobs/overview", text -> text.contains("\"state\":\"RUNNING\"")))
                    .path("jobs")
                    .get(0)
                    .path("jid")
                    .asText();
            // The three bars are written into the writer's open transaction.
            await(run, "http://127.0.0.1:" + metricsPort + "/metrics", text -> rowsWritten(text) == 3);

            // No new connection from now on; the writer's open one stays.
            DB.execute("ALTER ROLE " + ROLE + " NOLOGIN");
            HttpResponse<String> triggered = http.send(
                    HttpRequest.newBuilder(URI.create(web + "/jobs/" + jobId + "/checkpoints"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(triggered.statusCode()).as(triggered.body()).isBetween(200, 202);
            String request =
                    Json.MAPPER.readTree(triggered.body()).path("request-id").asText();
            JsonNode status = Json.MAPPER.readTree(await(
                    run, web + "/jobs/" + jobId + "/checkpoints/" + request, text -> text.contains("\"COMPLETED\"")));
            assertThat(status.path("operation").has("failure-cause"))
                    .as(status.toString())
                    .isFalse();
            // The checkpoint completed: the source committed the group's offsets past the bars ...
            awaitCommittedOffset(run, topics.name("group"), new TopicPartition(topics.topic(Dataset.BARS), 0), 3);
            // ... while the bars' transaction stays prepared: the committer cannot log in.
            assertThat(DB.preparedTransactions()).hasSize(1);
            assertThat(DB.count("bars")).isZero();
            run.killHard();
        }
        DB.execute("ALTER ROLE " + ROLE + " LOGIN");
        List<String> prepared = DB.preparedTransactions();
        assertThat(prepared).singleElement().asString().startsWith("mds:" + jobName + ":" + DB.name() + ":bars:");
        return prepared.get(0);
    }

    private String[] args(Path dir, KafkaTopics topics, String jobName, String... more) {
        List<String> args = new ArrayList<>(List.of(
                // --kafka-starting-offsets committed, the default: the group's offsets, earliest while it has none.
                "--source",
                "kafka",
                "--kafka-bootstrap",
                KAFKA.bootstrapServers(),
                "--kafka-group",
                topics.name("group"),
                "--datasets",
                "bars",
                "--jdbc-url",
                jdbcSettings().url(),
                "--dlq-dir",
                dir.resolve("dlq").toString(),
                "--checkpoint-dir",
                dir.resolve("checkpoints").toString(),
                "--parallelism",
                "2",
                "--job-name",
                jobName));
        args.addAll(topics.topicOptions());
        List<String> given = List.of(more);
        args.addAll(given);
        if (!given.contains("--checkpoint-interval")) {
            args.addAll(List.of("--checkpoint-interval", "500ms"));
        }
        if (!given.contains("--web-port")) {
            args.addAll(List.of(
                    "--web-port",
                    String.valueOf(FreePorts.take()),
                    "--metrics-port",
                    String.valueOf(FreePorts.take())));
        }
        return args.toArray(String[]::new);
    }

    private static dev.marketdata.job.sink.config.JdbcSettings jdbcSettings() {
        return new dev.marketdata.job.sink.config.JdbcSettings(
                DB.jdbcUrl().replace("user=postgres", "user=" + ROLE), null, null);
    }

    /** The bars sink's rowsWritten, summed over its subtasks, from a Prometheus scrape; -1 before it has any. */
    private static long rowsWritten(String metrics) {
        return metrics.lines()
                .filter(l -> l.startsWith("flink_taskmanager_job_task_operator_table_rowsWritten{")
                        && l.contains("table=\"bars\""))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .reduce(Long::sum)
                .orElse(-1);
    }

    /** A test of a response body that may throw (parsing it, say). */
    @FunctionalInterface
    private interface Ready {
        boolean test(String body) throws Exception;
    }

    private String await(JobProcess run, String url, Ready ready) throws Exception {
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
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no ready answer from " + url + "; last: " + last + "\noutput:\n" + run.output());
    }

    private static void awaitCommittedOffset(JobProcess run, String group, TopicPartition partition, long offset)
            throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long committed = -1;
            while (System.nanoTime() < deadline) {
                assertThat(run.isAlive()).as(run.output()).isTrue();
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS);
                OffsetAndMetadata at = offsets.get(partition);
                committed = at == null ? -1 : at.offset();
                if (committed == offset) {
                    return;
                }
                Thread.sleep(100);
            }
            throw new AssertionError(
                    "group " + group + " committed " + committed + " on " + partition + ", not " + offset);
        }
    }

    private static List<String> caseLines() throws Exception {
        try (InputStream in = FreshStartAfterCrashITCase.class.getResourceAsStream(CASE)) {
            return new String(in.readAllBytes(), UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList();
        }
    }

    private static List<Bar> caseBars() throws Exception {
        List<Bar> bars = new ArrayList<>();
        for (String line : caseLines()) {
            bars.add(Dataset.BARS.json().read(Json.MAPPER.readTree(line)));
        }
        return bars;
    }
}
