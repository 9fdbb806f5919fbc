package dev.marketdata.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.local.FreePorts;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.testing.Chromium;
import dev.marketdata.job.testing.ExpectedDataset;
import dev.marketdata.job.testing.FlinkSessionCluster;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.model.OptionQuote;
import dev.marketdata.sources.synthetic.SyntheticSpec;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an operator does to a running job, done to the shaded jar on a real standalone session cluster (one
 * JobManager and two TaskManager JVMs from {@code flink-conf/config.yaml}, all through the REST API): upgrade
 * through a savepoint to a changed topology and back, lose a TaskManager to {@code kill -9}, rescale through
 * savepoints, and hold the database still until back-pressure reaches the source. Every scenario ends with the
 * tables equal, row for row, to what the synthetic market must give (worked out independently by
 * {@link ExpectedDataset}), and no prepared transaction left in the database. One cluster serves all scenarios;
 * each uses its own job name (so its own transaction ids) on freshly emptied tables.
 */
class OperationsClusterITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final Path WORK = Path.of("target", "operations-cluster").toAbsolutePath();
    private static final Path SCREENSHOTS = WORK.resolve("screenshots");
    /** Set to {@code true} to copy the screenshots over the committed ones in {@code docs/images/}. */
    static final String UPDATE_SCREENSHOTS = "mds.update-screenshots";

    private static final Path DOCS_IMAGES =
            Path.of("..", "docs", "images").toAbsolutePath().normalize();
    private static final Instant START = Instant.parse("2024-01-02T14:30:00Z");
    private static final int SYMBOLS = 4;
    /** Steps per symbol of every test's final, bounded phase; the phases before it run at 40 records/s for 30 s at most. */
    private static final int STEPS = 300;

    private static final double SLOW = 40;
    private static final int INVALID_EVERY = 13;

    private static FlinkSessionCluster cluster;
    private static String jarId;
    private static int metricsPortBase;

    @BeforeAll
    static void startCluster() throws Exception {
        // Dead-letter files, checkpoints and savepoints of an earlier run would count as this run's.
        if (Files.exists(WORK)) {
            try (Stream<Path> files = Files.walk(WORK)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        metricsPortBase = FreePorts.takeRange(10);
        // Two slots per TaskManager, two TaskManagers: room for parallelism 3, and for a job that lost one.
        cluster = FlinkSessionCluster.start(WORK, Map.of(), 2, metricsPortBase + "-" + (metricsPortBase + 9));
        jarId = cluster.upload(Path.of("target", "market-data-job.jar"));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void cancelLeftoverJobs() throws Exception {
        // A test that failed midway leaves its job running; it must not write into the next test's tables.
        cluster.cancelAll();
    }

    @BeforeEach
    void emptyTables() throws Exception {
        SchemaMigrator.migrate(DB.jdbc());
        DB.execute("TRUNCATE bars, option_quotes");
    }

    /**
     * The job's options. {@code steps} 0 leaves the source unbounded: every phase a test stops with a savepoint runs
     * unbounded (so that it cannot finish by itself however slow the machine), and the last phase sets the bound.
     */
    private static List<String> args(String jobName, String datasets, double rate, int steps, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--datasets",
                datasets,
                "--symbols",
                String.valueOf(SYMBOLS),
                "--rate",
                String.valueOf(rate),
                "--invalid-every",
                String.valueOf(INVALID_EVERY),
                "--jdbc-url",
                DB.jdbcUrl(),
                "--dlq-dir",
                WORK.resolve("dlq-" + jobName).toString(),
                "--checkpoint-interval",
                "500ms",
                "--job-name",
                jobName));
        if (steps > 0) {
            args.addAll(List.of("--bars-per-symbol", String.valueOf(steps)));
        }
        args.addAll(List.of(more));
        return args;
    }

    private static SyntheticSpec spec(int steps) {
        return new SyntheticSpec(SYMBOLS, steps, 0, INVALID_EVERY, 42, START);
    }

    /** Waits until {@code table} holds more than {@code rows} rows (committed by a checkpoint); returns the count. */
    private static long awaitMoreRows(String table, long rows) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long count;
        while ((count = DB.count(table)) <= rows) {
            assertThat(System.nanoTime())
                    .as("no new rows in " + table + " in time")
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
        return count;
    }

    @Test
    void upgradesThroughSavepointsToAChangedTopologyAndBackWithExactTables() throws Exception {
        String name = "upgrade-it";
        ExpectedDataset<Bar> bars = ExpectedDataset.of(spec(STEPS), Dataset.BARS);
        ExpectedDataset<OptionQuote> options = ExpectedDataset.of(spec(STEPS), Dataset.OPTIONS);

        // Version A: bars only.
        String a = cluster.submit(jarId, args(name, "bars", SLOW, 0), 2, null, false);
        awaitMoreRows("bars", 0);
        String savepointA = cluster.stopWithSavepoint(a);
        long barsAtA = DB.count("bars");
        assertThat(barsAtA).as("A stopped midway").isLessThan(bars.valid().size());

        // Version B: one more data set; every uid of A is still there, so A's state is restored without
        // --allowNonRestoredState, and the options pipeline starts empty.
        String b = cluster.submit(jarId, args(name, "bars,options", SLOW, 0), 2, savepointA, false);
        awaitMoreRows("option_quotes", 0);
        awaitMoreRows("bars", barsAtA);
        String savepointB = cluster.stopWithSavepoint(b);
        long barsAtB = DB.count("bars");
        assertThat(barsAtB).as("B stopped midway").isLessThan(bars.valid().size());
        assertThat(DB.preparedTransactions())
                .as("stop-with-savepoint commits what it prepared")
                .isEmpty();

        // Back to bars only: B's savepoint holds state of operators this job lacks (the options source, validator
        // and sink), which Flink refuses to drop unless told to.
        String refusal = refusalOf(cluster.run(jarId, args(name, "bars", SLOW, 0), 2, savepointB, false));
        assertThat(refusal).contains("allowNonRestoredState");
        assertThat(DB.count("bars")).isEqualTo(barsAtB);

        String c = cluster.submit(jarId, args(name, "bars", SLOW, 0), 2, savepointB, true);
        awaitMoreRows("bars", barsAtB);
        String savepointC = cluster.stopWithSavepoint(c);

        // And forward again to both data sets, run to the end: the options pipeline starts afresh (its state was
        // dropped), rewriting the quotes it had stored with the same values.
        String d = cluster.submit(jarId, args(name, "bars,options", 0, STEPS), 2, savepointC, false);
        cluster.awaitState(d, "FINISHED");

        assertThat(Tables.bars(DB)).containsExactlyInAnyOrderElementsOf(bars.valid());
        assertThat(Tables.optionQuotes(DB)).containsExactlyInAnyOrderElementsOf(options.valid());
        assertThat(Tables.deadLetters(WORK.resolve("dlq-" + name).resolve("bars")).stream()
                        .map(line -> line.get("reason").asText() + " " + line.get("record")))
                .as("bar dead letters: each exactly once across four versions")
                .containsExactlyInAnyOrderElementsOf(bars.rejectedLines(Dataset.BARS));
        assertThat(DB.preparedTransactions()).isEmpty();
    }

    /**
     * Why a submission was refused: the REST answer's error, or, when the job was accepted and then failed to
     * restore, its root exception.
     */
    private static String refusalOf(HttpResponse<String> response) throws Exception {
        if (response.statusCode() != 200) {
            return response.body();
        }
        String jobId = Json.MAPPER.readTree(response.body()).path("jobid").asText();
        JsonNode job = cluster.awaitJson(
                "/jobs/" + jobId,
                j -> List.of("FAILED", "CANCELED", "FINISHED", "RUNNING")
                        .contains(j.path("state").asText()),
                Duration.ofSeconds(60));
        assertThat(job.path("state").asText())
                .as("a job that cannot restore its savepoint must not run")
                .isEqualTo("FAILED");
        return cluster.get("/jobs/" + jobId + "/exceptions").toString();
    }

    @Test
    void recoversByItselfWhenItsTaskManagerIsKilled() throws Exception {
        String name = "tm-loss-it";
        ExpectedDataset<Bar> bars = ExpectedDataset.of(spec(STEPS), Dataset.BARS);
        String job = cluster.submit(jarId, args(name, "bars", 80, STEPS), 2, null, false);
        awaitMoreRows("bars", 0);
        Thread.sleep(300); // let the next checkpoint's transactions be open or prepared when the TaskManager dies

        Set<String> hosts = new TreeSet<>();
        for (JsonNode tm : cluster.get(
                        "/jobs/" + job + "/vertices/" + cluster.vertex(job, "Write bars") + "/taskmanagers")
                .path("taskmanagers")) {
            hosts.add(tm.path("taskmanager-id").asText());
        }
        assertThat(hosts).isNotEmpty();
        String victim = hosts.iterator().next();
        cluster.killTaskManager(victim);
        long rowsAtKill = DB.count("bars");
        assertThat(rowsAtKill).as("killed midway").isLessThan(bars.valid().size());
        cluster.startTaskManager(victim + "-replacement");

        cluster.awaitState(job, "FINISHED");
        JsonNode restored =
                cluster.get("/jobs/" + job + "/checkpoints").path("latest").path("restored");
        assertThat(restored.path("is_savepoint").asBoolean(true))
                .as("restored from a checkpoint: " + restored)
                .isFalse();
        assertThat(cluster.get("/jobs/" + job + "/exceptions").toString())
                .as("the loss was noticed")
                .contains(victim);
        assertThat(Tables.bars(DB)).containsExactlyInAnyOrderElementsOf(bars.valid());
        assertThat(DB.preparedTransactions()).isEmpty();
        cluster.awaitTaskManagers(2);
    }

    @Test
    void rescalesFromOneToThreeToTwoThroughSavepoints() throws Exception {
        String name = "rescale-it";
        ExpectedDataset<Bar> bars = ExpectedDataset.of(spec(STEPS), Dataset.BARS);

        String p1 = cluster.submit(jarId, args(name, "bars", SLOW, 0), 1, null, false);
        awaitMoreRows("bars", 0);
        String savepoint1 = cluster.stopWithSavepoint(p1);
        long rows1 = DB.count("bars");

        String p3 = cluster.submit(jarId, args(name, "bars", SLOW, 0), 3, savepoint1, false);
        assertThat(cluster.get("/jobs/" + p3)
                        .path("vertices")
                        .get(0)
                        .path("parallelism")
                        .asInt())
                .isEqualTo(3);
        awaitMoreRows("bars", rows1);
        String savepoint3 = cluster.stopWithSavepoint(p3);
        long rows3 = DB.count("bars");
        assertThat(rows3).as("stopped midway").isLessThan(bars.valid().size());

        String p2 = cluster.submit(jarId, args(name, "bars", 0, STEPS), 2, savepoint3, false);
        assertThat(cluster.get("/jobs/" + p2)
                        .path("vertices")
                        .get(0)
                        .path("parallelism")
                        .asInt())
                .isEqualTo(2);
        cluster.awaitState(p2, "FINISHED");

        assertThat(Tables.bars(DB)).containsExactlyInAnyOrderElementsOf(bars.valid());
        assertThat(Tables.deadLetters(WORK.resolve("dlq-" + name).resolve("bars")))
                .hasSize(bars.rejected().size());
        assertThat(DB.preparedTransactions()).isEmpty();
    }

    /**
     * The database holds {@code bars} locked; the sink's COPY waits, its input buffers fill, and Flink's credit-based
     * flow control stops the source. The web UI shows it; the screenshots go to {@code target/operations-cluster/
     * screenshots/} (and to {@code docs/images/} with {@code -Dmds.update-screenshots=true}).
     */
    @Test
    void aStalledDatabaseBackPressuresTheSourceToAStandstillAndTheJobCatchesUp() throws Exception {
        String name = "backpressure-it";
        int steps = 10_000; // 40,000 bars at 4,000/s: the lock comes well before the source is through
        ExpectedDataset<Bar> bars = ExpectedDataset.of(spec(steps), Dataset.BARS);
        String job = cluster.submit(jarId, args(name, "bars", 4000, steps), 1, null, false);
        String source = cluster.vertex(job, "Source: Bars source");
        String sink = cluster.vertex(job, "Write bars");
        awaitMoreRows("bars", 0);

        long lockedAt;
        try (Connection lock = DB.connect()) {
            lock.setAutoCommit(false);
            try (Statement s = lock.createStatement()) {
                s.execute("LOCK TABLE bars IN ACCESS EXCLUSIVE MODE");
            }
            lockedAt = System.nanoTime();
            // Counted inside the locking transaction: any other reader would wait for the lock as well.
            long rowsWhileLocked = count(lock, "bars");

            JsonNode pressure = cluster.awaitJson(
                    "/jobs/" + job + "/vertices/" + source + "/backpressure",
                    b -> b.path("backpressure-level").asText().equals("high"),
                    Duration.ofSeconds(60));
            assertThat(pressure.path("subtasks").get(0).path("ratio").asDouble())
                    .isGreaterThan(0.5);

            long out1 = sourceRecordsOut(job, source);
            Thread.sleep(2000);
            long out2 = sourceRecordsOut(job, source);
            assertThat(out2)
                    .as("the source's output rate while the database is locked")
                    .isEqualTo(out1);
            assertThat(out1)
                    .as("the source stopped midway")
                    .isLessThan(bars.valid().size());

            screenshots(job, source, sink);
            assertThat(count(lock, "bars")).as("nothing written while locked").isEqualTo(rowsWhileLocked);
            lock.rollback();
        }
        long lockedSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - lockedAt);

        cluster.awaitState(job, "FINISHED");
        assertThat(Tables.bars(DB))
                .as("after %d s locked", lockedSeconds)
                .containsExactlyInAnyOrderElementsOf(bars.valid());
        assertThat(DB.preparedTransactions()).isEmpty();
    }

    private static long count(Connection connection, String table) throws Exception {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** What the source operator has emitted, summed over its subtasks (the REST API's aggregated metric). */
    private static long sourceRecordsOut(String job, String vertex) throws Exception {
        String base = "/jobs/" + job + "/vertices/" + vertex + "/subtasks/metrics";
        String id = null;
        for (JsonNode metric : cluster.get(base)) {
            String candidate = metric.path("id").asText();
            if (candidate.startsWith("Source__Bars_source") && candidate.endsWith(".numRecordsOut")) {
                id = candidate;
            }
        }
        assertThat(id)
                .as("the source operator's numRecordsOut in " + cluster.get(base))
                .isNotNull();
        String metricId = id;
        JsonNode value = cluster.awaitJson(base + "?get=" + metricId, m -> m.size() == 1, Duration.ofSeconds(10));
        return (long) value.get(0).path("sum").asDouble();
    }

    /**
     * Headless Chromium on the running job's web UI: the job graph with our operator names, and the back-pressure
     * tabs of the source (back-pressured) and of the sink (busy writing).
     */
    private static void screenshots(String job, String source, String sink) throws Exception {
        String ui = cluster.rest() + "/#/job/running/" + job + "/overview";
        String dom = Chromium.dumpDom(WORK.resolve("chrome-dom"), ui);
        assertThat(dom)
                .as("the job graph in the web UI")
                .contains("Bars source", "Validate bars", "Write bars to PostgreSQL", "Dead-letter queue");
        assertThat(Chromium.dumpDom(WORK.resolve("chrome-dom"), ui + "/" + source + "/backpressure"))
                .as("the source's back-pressure tab")
                .contains("Back Pressure Status", "HIGH");
        Files.createDirectories(SCREENSHOTS);
        Map<String, String> pages = Map.of(
                "web-ui-job-graph.png",
                ui,
                "web-ui-source-backpressure.png",
                ui + "/" + source + "/backpressure",
                "web-ui-sink-backpressure.png",
                ui + "/" + sink + "/backpressure");
        // All three at once: a headless Chromium now and then hangs until its attempt's timeout (Chromium's
        // comment), and one after another those waits added up to minutes while the table stayed locked.
        List<Map.Entry<String, String>> ordered = new ArrayList<>(new TreeMap<>(pages).entrySet());
        // Not the common pool: on 2 cores it has one thread, and the three would run one after another.
        ExecutorService browsers = Executors.newFixedThreadPool(ordered.size());
        try {
            List<Future<Void>> taken = new ArrayList<>();
            for (int i = 0; i < ordered.size(); i++) {
                Path profile = WORK.resolve("chrome-" + (i + 1));
                Map.Entry<String, String> page = ordered.get(i);
                taken.add(browsers.submit(() -> {
                    Chromium.screenshot(profile, page.getValue(), SCREENSHOTS.resolve(page.getKey()));
                    return null;
                }));
            }
            for (Future<Void> screenshot : taken) {
                screenshot.get();
            }
        } finally {
            browsers.shutdownNow();
        }
        for (Map.Entry<String, String> page : ordered) {
            Path png = SCREENSHOTS.resolve(page.getKey());
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image).as("a PNG in " + png).isNotNull();
            assertThat(image.getWidth() + "x" + image.getHeight())
                    .as(png.toString())
                    .isEqualTo("1600x1000");
            if (Boolean.getBoolean(UPDATE_SCREENSHOTS)) {
                Files.createDirectories(DOCS_IMAGES);
                Files.copy(png, DOCS_IMAGES.resolve(page.getKey()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void everyFlinkProcessReportsToPrometheusOnItsOwnPortOfTheRange() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        List<String> scopes = new ArrayList<>();
        for (int port = metricsPortBase; port <= metricsPortBase + 9; port++) {
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                String body = response.body();
                if (body.contains("flink_jobmanager_Status_JVM_CPU_Load")) {
                    scopes.add("jobmanager");
                } else if (body.contains("flink_taskmanager_Status_JVM_CPU_Load")) {
                    scopes.add("taskmanager");
                }
            } catch (IOException nothingThere) {
                // a port of the range that no Flink process took
            }
        }
        assertThat(scopes).containsExactlyInAnyOrder("jobmanager", "taskmanager", "taskmanager");
    }
}
